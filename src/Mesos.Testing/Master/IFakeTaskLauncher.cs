namespace Mesos.Testing.Master;

/// <summary>
/// The seam between the fake master and whatever runs tasks: the built-in <see cref="SimulatedTaskLauncher"/> answers
/// with status updates at once; a fake agent that starts the real executor implements this to run a whole local cluster.
/// Each method is called after the master validated the operation and took the resources.
/// </summary>
public interface IFakeTaskLauncher
{
    /// <summary>A LAUNCH (one task) or LAUNCH_GROUP (all members with their executor) on one agent.</summary>
    ValueTask LaunchAsync(FakeLaunch launch, CancellationToken cancellationToken);

    /// <summary>KILL of a task the master knows.</summary>
    ValueTask KillAsync(FakeTaskRef task, Mesos.V1.KillPolicy? killPolicy, IFakeStatusSink sink, CancellationToken cancellationToken);

    /// <summary>MESSAGE from the scheduler to an executor.</summary>
    ValueTask MessageAsync(string frameworkId, Mesos.V1.AgentID agentId, Mesos.V1.ExecutorID executorId, Google.Protobuf.ByteString data, CancellationToken cancellationToken);

    /// <summary>SHUTDOWN of an executor (its tasks end).</summary>
    ValueTask ShutdownAsync(string frameworkId, Mesos.V1.AgentID agentId, Mesos.V1.ExecutorID executorId, IFakeStatusSink sink, CancellationToken cancellationToken);
}

/// <summary>Where a launcher reports task status: the master stamps a uuid, forwards it as UPDATE and waits for the ACKNOWLEDGE.</summary>
public interface IFakeStatusSink
{
    ValueTask SendStatusAsync(string frameworkId, Mesos.V1.TaskStatus status, CancellationToken cancellationToken = default);
}

/// <summary>What to launch: the tasks as the scheduler sent them (group members with the group's executor copied in, as Mesos does).</summary>
public sealed record FakeLaunch(
    string FrameworkId,
    Mesos.V1.FrameworkInfo Framework,
    Mesos.V1.AgentID AgentId,
    Mesos.V1.ExecutorInfo? Executor,
    IReadOnlyList<Mesos.V1.TaskInfo> Tasks,
    bool IsGroup,
    IFakeStatusSink Sink);

/// <summary>A task the master knows.</summary>
public sealed record FakeTaskRef(string FrameworkId, Mesos.V1.TaskID TaskId, Mesos.V1.AgentID AgentId, Mesos.V1.ExecutorID? ExecutorId);
