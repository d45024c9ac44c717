using Mesos.Executor.Configuration;

namespace Mesos.Executor.Tasks;

/// <summary>Behaviour of the built-in <see cref="TaskRunnerExecutor"/>.</summary>
public sealed record TaskRunnerExecutorOptions
{
    /// <summary>Send TASK_STARTING before handing a task to the runner.</summary>
    public bool SendTaskStarting { get; init; } = true;

    /// <summary>Exit once every launched task is terminal and every update acknowledged (as upstream's executors do).</summary>
    public bool ExitWhenIdle { get; init; } = true;

    /// <summary>The kill grace when neither the KILL event nor the task has a kill policy (upstream: 3 seconds).</summary>
    public TimeSpan DefaultKillGracePeriod { get; init; } = Defaults.KillGracePeriod;

    /// <summary>On SHUTDOWN tasks get MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD minus this to stop; the rest is for their terminal updates.</summary>
    public TimeSpan ShutdownMargin { get; init; } = Defaults.ShutdownMargin;
}
