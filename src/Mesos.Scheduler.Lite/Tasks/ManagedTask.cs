namespace Mesos.Scheduler.Lite;

/// <summary>A task the framework launched, as last seen.</summary>
public sealed record ManagedTask
{
    public required string TaskId { get; init; }

    public required string Name { get; init; }

    public required string SpecName { get; init; }

    public int Serial { get; init; }

    public string? AgentId { get; init; }

    public string? Hostname { get; init; }

    public string? ExecutorId { get; init; }

    /// <summary>The last reported state; null between ACCEPT and the first update.</summary>
    public TaskState? State { get; init; }

    public bool? Healthy { get; init; }

    public IReadOnlyList<ulong> Ports { get; init; } = [];

    public int RestartAttempts { get; init; }

    public string? GroupKey { get; init; }

    /// <summary>The last status received.</summary>
    public MesosTaskStatus? LastStatus { get; init; }

    internal StoredTask ToStored() => new()
    {
        TaskId = TaskId,
        SpecName = SpecName,
        Serial = Serial,
        AgentId = AgentId,
        ExecutorId = ExecutorId,
        Hostname = Hostname,
        State = State is { } s ? TaskStates.ToProtocolName(s) : null,
        Ports = Ports,
        RestartAttempts = RestartAttempts,
        GroupKey = GroupKey,
    };
}

/// <summary>mesos-framework's <c>updated_task</c>: a task changed state.</summary>
public sealed record TaskUpdate(string TaskId, string? ExecutorId, TaskState State, ManagedTask Task);
