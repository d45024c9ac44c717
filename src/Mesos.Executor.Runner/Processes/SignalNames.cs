namespace Mesos.Executor.Runner.Processes;

/// <summary>Linux signal names (asm-generic numbering: x86-64 and arm64).</summary>
internal static class SignalNames
{
    private static readonly string[] s_names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGTERM", or "SIGRTMIN+3" for real-time signals, or "signal 99".</summary>
    public static string Name(int signal) => signal switch
    {
        > 0 and < 32 => s_names[signal],
        >= 34 and <= 64 => signal == 34 ? "SIGRTMIN" : $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };

    /// <summary>"SIGKILL (9)".</summary>
    public static string Describe(int signal) => $"{Name(signal)} ({signal})";
}
