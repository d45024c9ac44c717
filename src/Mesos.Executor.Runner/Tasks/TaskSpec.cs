using Mesos.Executor.Runner.Processes;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>A validated task: one or more processes, defaults applied.</summary>
/// <param name="Processes">At least one; names unique.</param>
internal sealed record TaskSpec(IReadOnlyList<ProcessSpec> Processes)
{
    /// <summary>A plain 1:1 task (no "processes" list): its output files are plain "stdout"/"stderr".</summary>
    public bool IsSingleProcess => Processes.Count == 1 && Processes[0].Name == TaskDefaults.SingleProcessName;

    /// <summary>A 1:1 task running <paramref name="command"/> (LAUNCH_GROUP tasks, Marathon's convention).</summary>
    public static TaskSpec FromShellCommand(string command) =>
        new([new ProcessSpec { Name = TaskDefaults.SingleProcessName, Command = command }]);
}

/// <summary>One process of a task.</summary>
internal sealed record ProcessSpec
{
    public required string Name { get; init; }

    /// <summary>A shell command line, or with <see cref="Shell"/> false the executable.</summary>
    public required string Command { get; init; }

    public bool Shell { get; init; } = true;

    /// <summary>With shell false: the whole argv (empty means just the executable).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public RestartPolicy Restart { get; init; } = RestartPolicy.Never;

    public bool Essential { get; init; } = true;

    /// <summary>The command to start (environment base, output and directory are the supervisor's to add).</summary>
    public ProcessCommand ToCommand() =>
        (Shell ? ProcessCommand.Shell(Command) : ProcessCommand.Exec(Command, Arguments)) with { Environment = Environment };
}

internal enum RestartKind
{
    Never,
    OnFailure,
    Always,
}

/// <summary>When and how fast to restart a process.</summary>
internal sealed record RestartPolicy
{
    public static RestartPolicy Never { get; } = new();

    public RestartKind Kind { get; init; } = RestartKind.Never;

    /// <summary>Restarts allowed; null for no limit.</summary>
    public int? MaxRestarts { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TaskDefaults.InitialBackoff;

    public TimeSpan MaxBackoff { get; init; } = TaskDefaults.MaxBackoff;

    public double BackoffFactor { get; init; } = TaskDefaults.BackoffFactor;

    /// <summary>Whether a process that ended with <paramref name="status"/> after <paramref name="restarts"/> restarts starts again.</summary>
    public bool ShouldRestart(ProcessExitStatus status, int restarts) =>
        Kind switch
        {
            RestartKind.Always => true,
            RestartKind.OnFailure => !status.IsSuccess,
            _ => false,
        }
        && (MaxRestarts is null || restarts < MaxRestarts);

    /// <summary>Delay before restart number <paramref name="restart"/> (0 for the first).</summary>
    public TimeSpan Delay(int restart)
    {
        var seconds = InitialBackoff.TotalSeconds * Math.Pow(BackoffFactor, restart);
        return double.IsFinite(seconds) && seconds < MaxBackoff.TotalSeconds ? TimeSpan.FromSeconds(seconds) : MaxBackoff;
    }
}

/// <summary>Defaults of the task payload, named once.</summary>
internal static class TaskDefaults
{
    /// <summary>The process name of a plain 1:1 task.</summary>
    public const string SingleProcessName = "main";

    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public const double BackoffFactor = 2.0;

    /// <summary>Grace between SIGTERM and SIGKILL when the supervisor stops the other processes of a failed task (Mesos' default kill grace).</summary>
    public static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(3);
}
