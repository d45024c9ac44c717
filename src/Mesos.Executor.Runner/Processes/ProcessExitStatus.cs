namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// How a process ended, from the raw wait status: an exit code or a signal, never conflated.
/// (<see cref="System.Diagnostics.Process.ExitCode"/> reports a signal N as exit code 128+N on Linux, so a
/// task that exits 137 and one killed by SIGKILL look the same there; this type keeps them apart.)
/// </summary>
internal readonly record struct ProcessExitStatus
{
    private ProcessExitStatus(int? exitCode, int? signal, bool coreDumped)
    {
        ExitCode = exitCode;
        Signal = signal;
        CoreDumped = coreDumped;
    }

    /// <summary>The exit code when the process called exit; null when a signal ended it.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that ended the process; null when it exited.</summary>
    public int? Signal { get; }

    public bool CoreDumped { get; }

    /// <summary>True when neither an exit code nor a signal is known (another waiter reaped the process).</summary>
    public bool IsUnknown => ExitCode is null && Signal is null;

    public bool IsSuccess => ExitCode == 0;

    public static ProcessExitStatus Exited(int exitCode) => new(exitCode, null, false);

    public static ProcessExitStatus Signaled(int signal, bool coreDumped = false) => new(null, signal, coreDumped);

    public static ProcessExitStatus Unknown { get; } = new(null, null, false);

    /// <summary>"exit code 3", "signal SIGKILL (9)", "signal SIGSEGV (11), core dumped".</summary>
    public override string ToString() => this switch
    {
        { ExitCode: int code } => $"exit code {code}",
        { Signal: int signal, CoreDumped: true } => $"signal {SignalNames.Describe(signal)}, core dumped",
        { Signal: int signal } => $"signal {SignalNames.Describe(signal)}",
        _ => "unknown exit status",
    };
}
