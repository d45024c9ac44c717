using Google.Protobuf;
using Mesos.Testing.Agent;
using Mesos.Testing.Master;
using AgentFake = Mesos.Testing.Agent.FakeAgent;
using ExecutorEvent = Mesos.V1.Executor.Event;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;
using V1 = Mesos.V1;

namespace Mesos.Testing.Cluster;

/// <summary>
/// One executor on one agent, as the agent runs it: a sandbox with the executor's URIs fetched into it, its command run
/// there with only the MESOS_* environment, the executor API served by its own <see cref="AgentFake"/>. Events go to it
/// in the order the master sent them; its status updates go back to the master; tasks it leaves behind when it exits
/// end TASK_FAILED (TASK_KILLED after a SHUTDOWN) with REASON_EXECUTOR_TERMINATED, as the agent reports them.
/// </summary>
internal sealed class ExecutorRun : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(3);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, bool> _tasks = new(StringComparer.Ordinal); // task id -> terminal
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ExecutorLauncherOptions _options;
    private readonly IFakeStatusSink _sink;
    private readonly V1.FrameworkInfo _framework;
    private readonly bool _commandExecutor;
    private Task _tail = Task.CompletedTask;
    private Task _start = Task.CompletedTask;
    private AgentFake? _agent;
    private ExecutorProcess? _process;
    private Task? _pump;
    private string? _failure;
    private volatile bool _shutdownRequested;

    public ExecutorRun(string frameworkId, V1.FrameworkInfo framework, V1.AgentID agentId, V1.ExecutorInfo executor, bool commandExecutor, IFakeStatusSink sink, ExecutorLauncherOptions options)
    {
        FrameworkId = frameworkId;
        _framework = framework;
        AgentId = agentId;
        Executor = executor;
        _commandExecutor = commandExecutor;
        _sink = sink;
        _options = options;
        Sandbox = Path.Combine(options.WorkDirectory, "agents", agentId.Value, "frameworks", frameworkId, "executors", executor.ExecutorId.Value, "runs", Guid.NewGuid().ToString());
    }

    public string FrameworkId { get; }

    public V1.AgentID AgentId { get; }

    public V1.ExecutorInfo Executor { get; }

    public string Sandbox { get; }

    /// <summary>Completes when the executor process has ended (or never started) and its tasks were accounted for.</summary>
    public Task Exited => _exited.Task;

    public bool Knows(string taskId)
    {
        lock (_lock)
        {
            return _tasks.ContainsKey(taskId);
        }
    }

    /// <summary>Fetches, starts and waits for the SUBSCRIBE in the background; events queued meanwhile follow it.</summary>
    public void Start() => _start = Task.Run(StartAsync);

    public Task LaunchAsync(IReadOnlyList<V1.TaskInfo> tasks, bool isGroup)
    {
        lock (_lock)
        {
            foreach (var task in tasks)
            {
                _tasks[task.TaskId.Value] = false;
            }
        }

        return Enqueue(
            async agent =>
            {
                if (isGroup)
                {
                    var group = new V1.TaskGroupInfo();
                    group.Tasks.AddRange(tasks);
                    await agent.LaunchGroupAsync(group).ConfigureAwait(false);
                }
                else
                {
                    foreach (var task in tasks)
                    {
                        await agent.LaunchAsync(task).ConfigureAwait(false);
                    }
                }
            },
            async () =>
            {
                foreach (var task in tasks)
                {
                    await EndTaskAsync(task.TaskId, TaskState.TaskFailed, Reason.ContainerLaunchFailed,
                        "Failed to launch container: " + (_failure ?? "the executor has terminated")).ConfigureAwait(false);
                }
            });
    }

    public Task KillAsync(V1.TaskID taskId, V1.KillPolicy? killPolicy)
    {
        var kill = new ExecutorEvent.Types.Kill { TaskId = taskId.Clone() };
        if (killPolicy is not null)
        {
            kill.KillPolicy = killPolicy.Clone();
        }

        return Enqueue(
            agent => agent.SendEventAsync(new ExecutorEvent { Type = ExecutorEvent.Types.Type.Kill, Kill = kill }).AsTask(),
            () => EndTaskAsync(taskId, TaskState.TaskKilled, Reason.ExecutorTerminated, "Killed before the executor ran it"));
    }

    public Task MessageAsync(ByteString data) =>
        Enqueue(agent => agent.SendMessageAsync(data.Memory).AsTask(), static () => Task.CompletedTask);

    /// <summary>Sends SHUTDOWN; the executor is killed if it has not exited within the shutdown grace period (plus a margin).</summary>
    public async Task ShutdownAsync()
    {
        _shutdownRequested = true;
        await Enqueue(agent => agent.ShutdownAsync().AsTask(), static () => Task.CompletedTask).ConfigureAwait(false);
        if (await _started.Task.ConfigureAwait(false) && _process is { } process)
        {
            try
            {
                await process.WaitForExitAsync(_options.ShutdownGracePeriod + ShutdownMargin).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await process.DisposeAsync().ConfigureAwait(false); // kills the whole tree
            }
        }

        await _exited.Task.WaitAsync(ShutdownMargin + ShutdownMargin).ConfigureAwait(false);
    }

    private async Task StartAsync()
    {
        try
        {
            Directory.CreateDirectory(Sandbox);
            string fileName;
            IReadOnlyList<string> arguments;
            var command = Executor.Command ?? new V1.CommandInfo();
            if (_commandExecutor)
            {
                fileName = _options.CommandExecutorPath!;
                arguments = [];
            }
            else
            {
                await UriFetcher.FetchAsync(command.Uris, Sandbox, _stop.Token).ConfigureAwait(false);
                if (command.Shell)
                {
                    // The agent runs a shell command as `sh -c <value>` in the sandbox.
                    fileName = "/bin/sh";
                    arguments = ["-c", command.Value];
                }
                else
                {
                    // Not a shell command: value is the program, arguments the whole argv (argv[0] cannot be set here).
                    fileName = Path.IsPathRooted(command.Value) ? command.Value : Path.Combine(Sandbox, command.Value);
                    arguments = command.Arguments.Skip(1).ToArray();
                }
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var variable in command.Environment?.Variables ?? [])
            {
                environment[variable.Name] = variable.Value;
            }

            _agent = await AgentFake.StartAsync(new FakeAgentOptions
            {
                FrameworkId = FrameworkId,
                ExecutorId = Executor.ExecutorId.Value,
                AgentId = AgentId.Value,
                FrameworkCapabilities = _framework.Capabilities.Select(c => c.Type).ToArray(),
                Checkpoint = _framework.Checkpoint,
            }, _stop.Token).ConfigureAwait(false);
            _process = await _agent.StartExecutorProcessAsync(new ExecutorProcessOptions
            {
                FileName = fileName,
                Arguments = arguments,
                CommandEnvironment = environment,
                SandboxDirectory = Sandbox,
                RegistrationTimeout = _options.RegistrationTimeout,
                ShutdownGracePeriod = _options.ShutdownGracePeriod,
            }, _stop.Token).ConfigureAwait(false);
            _pump = Task.Run(PumpAsync);
            _started.TrySetResult(true);
        }
        catch (Exception ex) when (ex is FetchException or TimeoutException or InvalidOperationException or IOException
                                       or UnauthorizedAccessException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            _failure = ex.Message.Trim();
            _started.TrySetResult(false);
            if (_agent is not null)
            {
                await _agent.DisposeAsync().ConfigureAwait(false);
            }

            _exited.TrySetResult();
        }
    }

    /// <summary>Runs <paramref name="send"/> after everything queued before, once the executor subscribed; <paramref name="orElse"/> when it never did or is gone.</summary>
    private Task Enqueue(Func<AgentFake, Task> send, Func<Task> orElse)
    {
        lock (_lock)
        {
            _tail = AfterAsync(_tail, send, orElse);
            return _tail;
        }
    }

    private async Task AfterAsync(Task previous, Func<AgentFake, Task> send, Func<Task> orElse)
    {
        await previous.ConfigureAwait(false);
        if (!await _started.Task.ConfigureAwait(false) || _exited.Task.IsCompleted)
        {
            await orElse().ConfigureAwait(false);
            return;
        }

        try
        {
            await send(_agent!).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // No subscriber any more: the executor is exiting. Its tasks are accounted for when it has.
            await orElse().ConfigureAwait(false);
        }
    }

    /// <summary>Forwards every status update the executor sent, in order, until it exits; then ends the tasks it left.</summary>
    private async Task PumpAsync()
    {
        var agent = _agent!;
        var process = _process!;
        var forwarded = 0;
        var seen = new HashSet<ByteString>();
        while (!process.HasExited && !_stop.IsCancellationRequested)
        {
            try
            {
                await agent.WaitUntilAsync(a => a.Updates.Count > forwarded || process.HasExited, TimeSpan.FromMinutes(10), "an update", _stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            forwarded = await ForwardAsync(agent, forwarded, seen).ConfigureAwait(false);
        }

        int? exitCode = null;
        try
        {
            exitCode = await process.WaitForExitAsync(_stop.IsCancellationRequested ? TimeSpan.Zero : ShutdownMargin).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // Still running (the cluster stops): it is killed when disposed.
        }

        await ForwardAsync(agent, forwarded, seen).ConfigureAwait(false);
        string[] left;
        lock (_lock)
        {
            left = _tasks.Where(t => !t.Value).Select(t => t.Key).ToArray();
        }

        var how = exitCode is { } code ? $"exited with status {code}" : "was stopped";
        foreach (var taskId in left)
        {
            await EndTaskAsync(new V1.TaskID { Value = taskId }, _shutdownRequested ? TaskState.TaskKilled : TaskState.TaskFailed,
                Reason.ExecutorTerminated, $"Executor {how}").ConfigureAwait(false);
        }

        _exited.TrySetResult();
    }

    private async Task<int> ForwardAsync(AgentFake agent, int forwarded, HashSet<ByteString> seen)
    {
        var updates = agent.Updates;
        for (; forwarded < updates.Count; forwarded++)
        {
            var status = updates[forwarded];
            if (!seen.Add(status.Uuid))
            {
                continue; // carried again by a re-SUBSCRIBE
            }

            lock (_lock)
            {
                if (_tasks.TryGetValue(status.TaskId.Value, out var terminal) && terminal)
                {
                    continue;
                }

                _tasks[status.TaskId.Value] = FakeMaster.IsTerminal(status.State);
            }

            var copy = status.Clone();
            copy.AgentId ??= AgentId.Clone();
            await _sink.SendStatusAsync(FrameworkId, copy).ConfigureAwait(false);
        }

        return forwarded;
    }

    /// <summary>A status from the agent itself (the executor could not report it); once per task.</summary>
    private async Task EndTaskAsync(V1.TaskID taskId, TaskState state, Reason reason, string message)
    {
        lock (_lock)
        {
            if (_tasks.TryGetValue(taskId.Value, out var terminal) && terminal)
            {
                return;
            }

            _tasks[taskId.Value] = true;
        }

        await _sink.SendStatusAsync(FrameworkId, new TaskStatus
        {
            TaskId = taskId.Clone(),
            State = state,
            Source = TaskStatus.Types.Source.Agent,
            Reason = reason,
            Message = message,
            AgentId = AgentId.Clone(),
            ExecutorId = Executor.ExecutorId.Clone(),
        }).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started.Task.IsCompleted && !_exited.Task.IsCompleted)
        {
            try
            {
                await ShutdownAsync().ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Killed below.
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _start.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A fetch or start that ignores cancellation: nothing more to wait for.
        }

        _started.TrySetResult(false);
        if (_pump is not null)
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync().ConfigureAwait(false);
        }

        _exited.TrySetResult();
        _stop.Dispose();
    }
}
