using Google.Protobuf;
using MesosTaskStatus = Mesos.V1.TaskStatus;
using TaskState = Mesos.V1.TaskState;

namespace Mesos.Testing.Master;

/// <summary>
/// Runs nothing: answers every launch with TASK_STARTING then TASK_RUNNING (or what <see cref="Outcome"/> says), every
/// KILL with TASK_KILLED, every SHUTDOWN with TASK_KILLED for the executor's tasks. Statuses come from the executor
/// (or the agent for command tasks), as they would on a real agent.
/// </summary>
public sealed class SimulatedTaskLauncher : IFakeTaskLauncher
{
    private readonly Dictionary<string, FakeTaskRef> _running = new(StringComparer.Ordinal);
    private readonly List<(string Framework, Mesos.V1.AgentID Agent, Mesos.V1.ExecutorID Executor, ByteString Data)> _messages = [];

    /// <summary>The states each launched task goes through after TASK_STARTING; default TASK_RUNNING. Return e.g. [TaskRunning, TaskFailed].</summary>
    public Func<Mesos.V1.TaskInfo, IReadOnlyList<TaskState>> Outcome { get; set; } = _ => [TaskState.TaskRunning];

    /// <summary>Messages the scheduler sent to executors.</summary>
    public IReadOnlyList<(string Framework, Mesos.V1.AgentID Agent, Mesos.V1.ExecutorID Executor, ByteString Data)> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToArray();
            }
        }
    }

    public async ValueTask LaunchAsync(FakeLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        foreach (var task in launch.Tasks)
        {
            var executorId = task.Executor?.ExecutorId ?? launch.Executor?.ExecutorId;
            lock (_running)
            {
                _running[task.TaskId.Value] = new FakeTaskRef(launch.FrameworkId, task.TaskId, launch.AgentId, executorId);
            }

            await SendAsync(launch.Sink, launch.FrameworkId, task.TaskId, launch.AgentId, executorId, TaskState.TaskStarting, cancellationToken).ConfigureAwait(false);
            foreach (var state in Outcome(task))
            {
                await SendAsync(launch.Sink, launch.FrameworkId, task.TaskId, launch.AgentId, executorId, state, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask KillAsync(FakeTaskRef task, Mesos.V1.KillPolicy? killPolicy, IFakeStatusSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sink);
        await SendAsync(sink, task.FrameworkId, task.TaskId, task.AgentId, task.ExecutorId, TaskState.TaskKilled, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask MessageAsync(string frameworkId, Mesos.V1.AgentID agentId, Mesos.V1.ExecutorID executorId, ByteString data, CancellationToken cancellationToken)
    {
        lock (_messages)
        {
            _messages.Add((frameworkId, agentId, executorId, data));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask ShutdownAsync(string frameworkId, Mesos.V1.AgentID agentId, Mesos.V1.ExecutorID executorId, IFakeStatusSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        FakeTaskRef[] tasks;
        lock (_running)
        {
            tasks = _running.Values.Where(t => t.FrameworkId == frameworkId && t.ExecutorId?.Value == executorId.Value).ToArray();
        }

        foreach (var task in tasks)
        {
            await SendAsync(sink, frameworkId, task.TaskId, agentId, executorId, TaskState.TaskKilled, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask SendAsync(IFakeStatusSink sink, string frameworkId, Mesos.V1.TaskID taskId, Mesos.V1.AgentID agentId, Mesos.V1.ExecutorID? executorId, TaskState state, CancellationToken cancellationToken)
    {
        var status = new MesosTaskStatus
        {
            TaskId = taskId,
            State = state,
            AgentId = agentId,
            Source = executorId is null ? MesosTaskStatus.Types.Source.Agent : MesosTaskStatus.Types.Source.Executor,
        };
        if (executorId is not null)
        {
            status.ExecutorId = executorId;
        }

        if (state is not (TaskState.TaskStarting or TaskState.TaskRunning or TaskState.TaskKilling))
        {
            lock (_running)
            {
                _running.Remove(taskId.Value);
            }
        }

        await sink.SendStatusAsync(frameworkId, status, cancellationToken).ConfigureAwait(false);
    }
}
