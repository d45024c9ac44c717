namespace Mesos.Scheduler.Lite;

/// <summary>
/// Where a scheduler keeps what must survive its own restart: the framework id and the tasks it launched.
/// <see cref="FileStateStore"/> is the default; a ZooKeeper store plugs in here (mesos-framework <c>useZk</c>).
/// Implementations must make each save durable before returning.
/// </summary>
public interface ISchedulerStateStore
{
    ValueTask<SchedulerState> LoadAsync(CancellationToken cancellationToken = default);

    ValueTask SaveFrameworkIdAsync(string? frameworkId, CancellationToken cancellationToken = default);

    ValueTask SaveTaskAsync(StoredTask task, CancellationToken cancellationToken = default);

    ValueTask RemoveTaskAsync(string taskId, CancellationToken cancellationToken = default);
}

/// <summary>What a state store holds.</summary>
public sealed record SchedulerState(string? FrameworkId, IReadOnlyList<StoredTask> Tasks)
{
    public static SchedulerState Empty { get; } = new(null, []);
}

/// <summary>A launched task as stored: enough to reconcile it and to keep its instance slot after a restart.</summary>
public sealed record StoredTask
{
    public required string TaskId { get; init; }

    public required string SpecName { get; init; }

    public int Serial { get; init; }

    public string? AgentId { get; init; }

    public string? ExecutorId { get; init; }

    public string? Hostname { get; init; }

    /// <summary>The last state seen, as the protocol name (TASK_RUNNING), or null before the first update.</summary>
    public string? State { get; init; }

    public IReadOnlyList<ulong> Ports { get; init; } = [];

    public int RestartAttempts { get; init; }

    /// <summary>For LAUNCH_GROUP members: the group's instance key (all members share it).</summary>
    public string? GroupKey { get; init; }
}
