namespace Mesos.Testing.Cluster;

/// <summary>How an <see cref="ExecutorTaskLauncher"/> starts executors.</summary>
public sealed record ExecutorLauncherOptions
{
    /// <summary>Sandboxes go under <c>WORK/agents/AGENT/frameworks/FRAMEWORK/executors/EXECUTOR/runs/RUN</c>, as on an agent.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The agent's <c>--executor_registration_timeout</c>: an executor that has not subscribed by then is killed and its tasks fail.</summary>
    public TimeSpan RegistrationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD; after SHUTDOWN an executor that has not exited within it (plus a margin) is killed.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The executor that runs command tasks (tasks with a CommandInfo and no ExecutorInfo), as the agent's command executor
    /// does: one per task, executor id = task id, the task's CommandInfo is what it runs. Null: command tasks fail.
    /// </summary>
    public string? CommandExecutorPath { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkDirectory))
        {
            throw new ArgumentException("ExecutorLauncherOptions.WorkDirectory must be set", nameof(WorkDirectory));
        }

        if (RegistrationTimeout <= TimeSpan.Zero || ShutdownGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RegistrationTimeout), "ExecutorLauncherOptions.RegistrationTimeout must be positive and ShutdownGracePeriod not negative");
        }

        if (CommandExecutorPath is { } path && !File.Exists(path))
        {
            throw new ArgumentException($"ExecutorLauncherOptions.CommandExecutorPath '{path}' does not exist", nameof(CommandExecutorPath));
        }
    }
}
