namespace Mesos.Executor.Runner.Processes;

/// <summary>Which of the two stop tokens fired before the process ended (the strongest one wins).</summary>
internal enum ProcessStopReason
{
    /// <summary>The process ended on its own.</summary>
    None = 0,

    /// <summary>The graceful token fired: SIGTERM (then SIGCONT) went to the process group.</summary>
    Graceful = 1,

    /// <summary>The forceful token fired: SIGKILL went to the process group and every tracked descendant.</summary>
    Forceful = 2,
}
