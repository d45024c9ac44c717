using Google.Protobuf;
using Mesos.Testing.Master;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;
using V1 = Mesos.V1;

namespace Mesos.Testing.Cluster;

/// <summary>
/// An <see cref="IFakeTaskLauncher"/> that really runs tasks, as Mesos agents do: per (framework, executor id) one
/// executor process started from the ExecutorInfo (URIs fetched into a fresh sandbox, its command run there with only
/// the MESOS_* environment) behind its own fake agent executor API; LAUNCH, LAUNCH_GROUP, KILL, MESSAGE and SHUTDOWN
/// forwarded to it; its status updates sent back to the master. The agent acknowledges each update once it has it, as
/// a real agent's status update manager does; the master keeps it until the scheduler acknowledges.
/// Command tasks run under <see cref="ExecutorLauncherOptions.CommandExecutorPath"/> (one executor per task).
/// </summary>
public sealed class ExecutorTaskLauncher : IFakeTaskLauncher, IAsyncDisposable
{
    private readonly ExecutorLauncherOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Framework, string Executor), ExecutorRun> _runs = [];
    private readonly List<Task> _pending = [];
    private bool _disposed;

    public ExecutorTaskLauncher(ExecutorLauncherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public ExecutorLauncherOptions Options => _options;

    /// <summary>Every executor started (the latest run per framework and executor id), running or not.</summary>
    public IReadOnlyList<LocalExecutor> Executors
    {
        get
        {
            lock (_lock)
            {
                return _runs.Values
                    .Select(r => new LocalExecutor(r.FrameworkId, r.AgentId.Value, r.Executor.ExecutorId.Value, r.Sandbox, !r.Exited.IsCompleted))
                    .ToArray();
            }
        }
    }

    public async ValueTask LaunchAsync(FakeLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Executor is { } executor)
        {
            Track(Run(launch.FrameworkId, launch.Framework, launch.AgentId, executor, commandExecutor: false, launch.Sink).LaunchAsync(launch.Tasks, launch.IsGroup));
            return;
        }

        foreach (var task in launch.Tasks)
        {
            if (_options.CommandExecutorPath is null)
            {
                await launch.Sink.SendStatusAsync(launch.FrameworkId, new TaskStatus
                {
                    TaskId = task.TaskId.Clone(),
                    AgentId = launch.AgentId.Clone(),
                    State = TaskState.TaskFailed,
                    Source = TaskStatus.Types.Source.Agent,
                    Reason = Reason.ContainerLaunchFailed,
                    Message = "This local cluster has no command executor (ExecutorLauncherOptions.CommandExecutorPath): launch the task with an ExecutorInfo",
                }, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Like the agent's command executor: executor id = task id, it runs the task's own CommandInfo.
            var commandExecutor = new V1.ExecutorInfo
            {
                Type = V1.ExecutorInfo.Types.Type.Default,
                ExecutorId = new V1.ExecutorID { Value = task.TaskId.Value },
                FrameworkId = new V1.FrameworkID { Value = launch.FrameworkId },
                Name = "Command Executor (Task: " + task.TaskId.Value + ")",
                Command = new V1.CommandInfo { Value = _options.CommandExecutorPath, Shell = false },
            };
            var copy = task.Clone();
            copy.Executor = commandExecutor;
            Track(Run(launch.FrameworkId, launch.Framework, launch.AgentId, commandExecutor, commandExecutor: true, launch.Sink).LaunchAsync([copy], isGroup: false));
        }
    }

    public async ValueTask KillAsync(FakeTaskRef task, V1.KillPolicy? killPolicy, IFakeStatusSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sink);
        var run = Find(task.FrameworkId, task.ExecutorId?.Value ?? task.TaskId.Value);
        if (run is not null && run.Knows(task.TaskId.Value))
        {
            Track(run.KillAsync(task.TaskId, killPolicy));
            return;
        }

        await sink.SendStatusAsync(task.FrameworkId, new TaskStatus
        {
            TaskId = task.TaskId.Clone(),
            AgentId = task.AgentId.Clone(),
            State = TaskState.TaskKilled,
            Source = TaskStatus.Types.Source.Agent,
            Message = "No executor runs this task any more",
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask MessageAsync(string frameworkId, V1.AgentID agentId, V1.ExecutorID executorId, ByteString data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executorId);
        if (Find(frameworkId, executorId.Value) is { } run)
        {
            Track(run.MessageAsync(data));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ShutdownAsync(string frameworkId, V1.AgentID agentId, V1.ExecutorID executorId, IFakeStatusSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executorId);
        if (Find(frameworkId, executorId.Value) is { } run)
        {
            Track(run.ShutdownAsync());
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until every executor has exited (after a teardown, say).</summary>
    /// <exception cref="TimeoutException">Some still run after <paramref name="timeout"/>.</exception>
    public async Task WaitForExecutorsToExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task[] exits;
        lock (_lock)
        {
            exits = _runs.Values.Select(r => r.Exited).ToArray();
        }

        await Task.WhenAll(exits).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    private ExecutorRun Run(string frameworkId, V1.FrameworkInfo framework, V1.AgentID agentId, V1.ExecutorInfo executor, bool commandExecutor, IFakeStatusSink sink)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = (frameworkId, executor.ExecutorId.Value);
            if (_runs.TryGetValue(key, out var run) && !run.Exited.IsCompleted)
            {
                return run;
            }

            run = new ExecutorRun(frameworkId, framework, agentId, executor, commandExecutor, sink, _options);
            _runs[key] = run;
            run.Start();
            return run;
        }
    }

    private ExecutorRun? Find(string frameworkId, string executorId)
    {
        lock (_lock)
        {
            return _runs.TryGetValue((frameworkId, executorId), out var run) ? run : null;
        }
    }

    private void Track(Task task)
    {
        lock (_lock)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    }

    /// <summary>Shuts every executor down (SHUTDOWN, then a kill of the whole process tree after the grace period).</summary>
    public async ValueTask DisposeAsync()
    {
        ExecutorRun[] runs;
        Task[] pending;
        lock (_lock)
        {
            _disposed = true;
            runs = _runs.Values.ToArray();
            pending = _pending.ToArray();
        }

        await Task.WhenAll(runs.Select(r => r.DisposeAsync().AsTask())).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // Stopping: what did not finish does not matter any more.
        }
    }
}

/// <summary>An executor a local cluster started: for whom, where, its sandbox directory, and whether it still runs.</summary>
public sealed record LocalExecutor(string FrameworkId, string AgentId, string ExecutorId, string Sandbox, bool Running);
