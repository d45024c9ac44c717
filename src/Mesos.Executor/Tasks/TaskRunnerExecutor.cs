using Google.Protobuf;
using Mesos.Executor.Events;
using Mesos.Executor.Hosting;
using Mesos.Executor.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ExecutorInfo = Mesos.V1.ExecutorInfo;
using FrameworkInfo = Mesos.V1.FrameworkInfo;
using KillPolicy = Mesos.V1.KillPolicy;
using TaskGroupInfo = Mesos.V1.TaskGroupInfo;
using TaskID = Mesos.V1.TaskID;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tasks;

/// <summary>
/// The built-in handler that runs each launched task through an <see cref="ITaskRunner"/>: TASK_STARTING, the
/// runner, the terminal update; KILL with the right grace (the event's kill policy, else the task's, else 3 s; a
/// second KILL only shortens it) and TASK_KILLING first when the framework understands it; task groups (a member
/// ending FAILED or KILLED kills the rest); SHUTDOWN (everything killed within the shutdown grace period minus a
/// margin, then the terminal updates acknowledged); and exit once every task is terminal and acknowledged.
/// </summary>
public sealed class TaskRunnerExecutor : IExecutorHandler, IAsyncDisposable
{
    private readonly ITaskRunner _runner;
    private readonly TaskRunnerExecutorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunningTask> _tasks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private bool _launchedAny;
    private volatile bool _shuttingDown;

    public TaskRunnerExecutor(ITaskRunner runner, TaskRunnerExecutorOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _options = options ?? new TaskRunnerExecutorOptions();
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public ValueTask OnLaunchAsync(LaunchEvent launch, IExecutorDriver driver, CancellationToken cancellationToken)
    {
        Start(launch.Task, null, driver);
        return default;
    }

    /// <inheritdoc/>
    public ValueTask OnLaunchGroupAsync(LaunchGroupEvent launchGroup, IExecutorDriver driver, CancellationToken cancellationToken)
    {
        foreach (var task in launchGroup.TaskGroup.Tasks)
        {
            Start(task, launchGroup.TaskGroup, driver);
        }

        return default;
    }

    /// <inheritdoc/>
    public async ValueTask OnKillAsync(KillEvent kill, IExecutorDriver driver, CancellationToken cancellationToken)
    {
        RunningTask? task;
        lock (_gate)
        {
            _tasks.TryGetValue(kill.TaskId.Value, out task);
        }

        if (task is null)
        {
            // Upstream's executors ignore it; answering lets the framework stop waiting for a task that is not here.
            Log.KillUnknownTask(_logger, kill.TaskId.Value, nameof(TaskState.TaskLost));
            await SafeUpdateAsync(driver, new TaskStatus
            {
                TaskId = kill.TaskId,
                State = TaskState.TaskLost,
                Reason = TaskStatus.Types.Reason.TaskUnknown,
                Message = "KILL for a task this executor does not know",
            }).ConfigureAwait(false);
            return;
        }

        await KillAsync(task, GraceOf(kill.KillPolicy) ?? GraceOf(task.Info.KillPolicy) ?? _options.DefaultKillGracePeriod, driver, sendKilling: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask OnShutdownAsync(ShutdownEvent shutdown, IExecutorDriver driver, CancellationToken cancellationToken)
    {
        _shuttingDown = true;
        var grace = driver.Settings.ShutdownGracePeriod - _options.ShutdownMargin;
        if (grace < TimeSpan.Zero)
        {
            grace = TimeSpan.Zero;
        }

        RunningTask[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks.Values];
        }

        Log.ShuttingDown(_logger, tasks.Count(t => !t.Ended), grace);
        foreach (var task in tasks)
        {
            await KillAsync(task, grace, driver, sendKilling: shutdown.AgentReachable).ConfigureAwait(false);
        }

        await Task.WhenAll(tasks.Select(t => t.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (shutdown.AgentReachable)
        {
            await driver.WaitForAcknowledgementsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        RunningTask[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks.Values];
        }

        foreach (var task in tasks)
        {
            task.KillNow();
        }

        try
        {
            await Task.WhenAll(tasks.Select(t => t.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Runners that ignore their tokens are not ours to wait for.
        }
    }

    private void Start(TaskInfo info, TaskGroupInfo? group, IExecutorDriver driver)
    {
        RunningTask task;
        lock (_gate)
        {
            if (_tasks.ContainsKey(info.TaskId.Value))
            {
                Log.DuplicateLaunch(_logger, info.TaskId.Value);
                return;
            }

            task = new RunningTask(this, info, group, driver);
            _tasks.Add(info.TaskId.Value, task);
            _launchedAny = true;
        }

        Log.Launching(_logger, info.TaskId.Value);
        task.Completion = Task.Run(() => RunAsync(task, driver), CancellationToken.None);
    }

    private async Task RunAsync(RunningTask task, IExecutorDriver driver)
    {
        if (_options.SendTaskStarting)
        {
            await SafeUpdateAsync(driver, new TaskStatus { TaskId = task.Info.TaskId, State = TaskState.TaskStarting }).ConfigureAwait(false);
        }

        TaskResult result;
        try
        {
            result = task.KillRequested
                ? TaskResult.Killed("Killed before it started")
                : await _runner.RunAsync(task.Info, task, task.KillToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (task.KillRequested)
        {
            result = TaskResult.Killed();
        }
        catch (Exception ex)
        {
            result = TaskResult.Failed($"The task runner failed: {ex.GetType().Name}: {ex.Message}");
        }

        if (!TaskResult.IsTerminal(result.State))
        {
            result = TaskResult.Failed($"The task runner ended the task with the non-terminal state {result.State}");
        }

        Log.TaskEnded(_logger, task.Info.TaskId.Value, result.State.ToString(), result.Message);
        var status = new TaskStatus { TaskId = task.Info.TaskId, State = result.State };
        if (result.Message is not null)
        {
            status.Message = result.Message;
        }

        if (result.Reason is { } reason)
        {
            status.Reason = reason;
        }

        if (!result.Data.IsEmpty)
        {
            status.Data = ByteString.CopyFrom(result.Data.Span);
        }

        if (result.Healthy is { } healthy)
        {
            status.Healthy = healthy;
        }

        // TASK_KILLING must reach the agent before the terminal update.
        await task.KillingSent.ConfigureAwait(false);
        task.Ended = true;
        await SafeUpdateAsync(driver, status).ConfigureAwait(false);
        task.TerminalSent = true;
        task.DisposeTimers();

        if (task.Group is { } group && result.State is TaskState.TaskFailed or TaskState.TaskKilled)
        {
            RunningTask[] siblings;
            lock (_gate)
            {
                siblings = [.. _tasks.Values.Where(t => t.Group == group && !t.Ended)];
            }

            if (siblings.Length > 0)
            {
                Log.GroupMemberEnded(_logger, task.Info.TaskId.Value, result.State.ToString());
            }

            foreach (var sibling in siblings)
            {
                await KillAsync(sibling, GraceOf(sibling.Info.KillPolicy) ?? _options.DefaultKillGracePeriod, driver, sendKilling: true).ConfigureAwait(false);
            }
        }

        await ExitIfIdleAsync(driver).ConfigureAwait(false);
    }

    private async Task ExitIfIdleAsync(IExecutorDriver driver)
    {
        if (!_options.ExitWhenIdle || _shuttingDown || !AllTerminalSent())
        {
            return;
        }

        try
        {
            await driver.WaitForAcknowledgementsAsync(_disposed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // In this order: a task whose terminal update is sent has it in the ledger already.
        if (!_shuttingDown && AllTerminalSent() && driver.UnacknowledgedUpdates.Count == 0)
        {
            Log.Idle(_logger);
            driver.Exit(0);
        }
    }

    private bool AllTerminalSent()
    {
        lock (_gate)
        {
            return _launchedAny && _tasks.Values.All(t => t.TerminalSent);
        }
    }

    private async Task KillAsync(RunningTask task, TimeSpan grace, IExecutorDriver driver, bool sendKilling)
    {
        if (!task.BeginKill(grace, _time))
        {
            return;
        }

        Log.Killing(_logger, task.Info.TaskId.Value, grace);
        if (sendKilling && driver.Subscription?.FrameworkHasTaskKillingState == true)
        {
            // Queued (and put in the ledger) before the runner is told, so it always precedes the terminal update.
            task.KillingSent = SafeUpdateAsync(driver, new TaskStatus { TaskId = task.Info.TaskId, State = TaskState.TaskKilling });
        }

        task.FireKill(grace);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async Task SafeUpdateAsync(IExecutorDriver driver, TaskStatus status)
    {
        try
        {
            await driver.UpdateAsync(status, _disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_disposed.IsCancellationRequested)
        {
            Log.UpdateFailed(_logger, status.TaskId.Value, status.State.ToString(), ex);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static TimeSpan? GraceOf(KillPolicy? policy) =>
        policy?.GracePeriod is { } grace ? TimeSpan.FromTicks(Math.Max(0, grace.Nanoseconds / 100)) : null;

    /// <summary>One task's state; also its <see cref="ITaskContext"/>.</summary>
    private sealed class RunningTask(TaskRunnerExecutor owner, TaskInfo info, TaskGroupInfo? group, IExecutorDriver driver) : ITaskContext
    {
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _kill = new();
        private readonly CancellationTokenSource _force = new(Timeout.InfiniteTimeSpan, owner._time);
        private long? _killStarted;
        private TimeSpan _grace = GraceOf(info.KillPolicy) ?? owner._options.DefaultKillGracePeriod;
        private volatile bool _ended;
        private volatile bool _terminalSent;

        public TaskInfo Info { get; } = info;

        public TaskGroupInfo? Group { get; } = group;

        public Task Completion { get; set; } = Task.CompletedTask;

        public Task KillingSent { get; set; } = Task.CompletedTask;

        public bool Ended { get => _ended; set => _ended = value; }

        public bool TerminalSent { get => _terminalSent; set => _terminalSent = value; }

        public bool KillRequested => _kill.IsCancellationRequested;

        public CancellationToken KillToken => _kill.Token;

        TaskInfo ITaskContext.Task => Info;

        public ExecutorInfo Executor => driver.Subscription?.ExecutorInfo ?? new ExecutorInfo();

        public FrameworkInfo Framework => driver.Subscription?.FrameworkInfo ?? new FrameworkInfo();

        public string SandboxDirectory => driver.Settings.SandboxDirectory;

        public TimeSpan KillGracePeriod
        {
            get
            {
                lock (_gate)
                {
                    return _grace;
                }
            }
        }

        public CancellationToken ForceKill => _force.Token;

        /// <summary>True for the first kill; a later one only shortens the grace and returns false.</summary>
        public bool BeginKill(TimeSpan grace, TimeProvider time)
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return false;
                }

                if (_killStarted is { } started)
                {
                    if (grace < _grace)
                    {
                        _grace = grace;
                        var remaining = grace - time.GetElapsedTime(started);
                        TryCancelAfter(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining);
                    }

                    return false;
                }

                _killStarted = time.GetTimestamp();
                _grace = grace;
                return true;
            }
        }

        public void FireKill(TimeSpan grace)
        {
            try
            {
                _kill.Cancel();
                TryCancelAfter(grace);
            }
            catch (ObjectDisposedException)
            {
                // The task ended meanwhile.
            }
        }

        public void KillNow()
        {
            try
            {
                _kill.Cancel();
                _force.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void DisposeTimers()
        {
            lock (_gate)
            {
                _force.Dispose();
            }
        }

        public Task UpdateAsync(TaskState state, string? message = null, TaskStatus.Types.Reason? reason = null, CancellationToken cancellationToken = default)
        {
            var status = new TaskStatus { State = state };
            if (message is not null)
            {
                status.Message = message;
            }

            if (reason is { } r)
            {
                status.Reason = r;
            }

            return UpdateAsync(status, cancellationToken);
        }

        public Task UpdateAsync(TaskStatus status, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(status);
            if (TaskResult.IsTerminal(status.State))
            {
                throw new ArgumentException($"{status.State} is terminal: return it from ITaskRunner.RunAsync instead", nameof(status));
            }

            var copy = status.Clone();
            copy.TaskId = Info.TaskId;
            return driver.UpdateAsync(copy, cancellationToken);
        }

        private void TryCancelAfter(TimeSpan delay)
        {
            try
            {
                _force.CancelAfter(delay);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
