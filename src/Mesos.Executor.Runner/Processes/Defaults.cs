namespace Mesos.Executor.Runner.Processes;

/// <summary>Defaults of the process layer, named once.</summary>
internal static class Defaults
{
    /// <summary>Variables of the executor's environment that are never passed on to tasks.</summary>
    public static IReadOnlySet<string> SecretVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "MESOS_EXECUTOR_AUTHENTICATION_TOKEN",
    };

    /// <summary>PATH searched for an executable when the task's environment has none (what execvp uses).</summary>
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>How long the kill of a finished or stopped process tree may keep re-scanning /proc.</summary>
    public static readonly TimeSpan SweepTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for end-of-file on output pipes once the process tree is dead.</summary>
    public static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Each output file grows to this size before it is rotated.</summary>
    public const long MaxOutputFileBytes = 10L * 1024 * 1024;

    /// <summary>Rotated files kept per stream (stdout.1 ... stdout.N).</summary>
    public const int MaxRotatedFiles = 3;

    /// <summary>Output buffered in memory per stream while the disk is slow; beyond it output is dropped (with a marker).</summary>
    public const int MaxBufferedOutputBytes = 4 * 1024 * 1024;
}
