using System.Threading.Channels;
using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>
/// Runs the processes of one task (1:N): starts them all, restarts each per its policy with backoff, reports
/// <see cref="TaskRunning"/> once every essential process runs, and ends the task:
/// FAILED when an essential process fails beyond its restart budget (the message names it and its exit code
/// or signal), ERROR when an essential process cannot start, FINISHED when every essential process has
/// exited 0 for good, KILLED after <see cref="Stop"/>. Ending stops the remaining processes with the two-token
/// kill: SIGTERM to each process group, SIGKILL to each whole tree when the grace period ends.
/// </summary>
internal sealed class ProcessSetSupervisor : IAsyncDisposable
{
    private readonly TaskSpec _spec;
    private readonly SupervisorOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<SupervisorEvent> _events = Channel.CreateUnbounded<SupervisorEvent>(new() { SingleReader = true });
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _essential;
    private readonly Task<TaskOutcome> _completion;
    private ITimer? _killTimer;
    private DateTimeOffset _killDeadline = DateTimeOffset.MaxValue;
    private TaskOutcome? _outcome;
    private bool _runningReported;
    private int _essentialFinished;

    private ProcessSetSupervisor(TaskSpec spec, SupervisorOptions options)
    {
        _spec = spec;
        _options = options;
        _time = options.TimeProvider;
        _essential = [.. spec.Processes.Where(p => p.Essential).Select(p => p.Name)];
        _completion = RunAsync();
    }

    /// <summary>Starts every process of <paramref name="spec"/>.</summary>
    public static ProcessSetSupervisor Start(TaskSpec spec, SupervisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (spec.Processes.Count == 0)
        {
            throw new ArgumentException("a task needs at least one process", nameof(spec));
        }

        return new ProcessSetSupervisor(spec, options);
    }

    /// <summary>The task's end, once every process is reaped.</summary>
    public Task<TaskOutcome> Completion => _completion;

    /// <summary>State transitions in order, ending with <see cref="TaskEnded"/>. One reader.</summary>
    public IAsyncEnumerable<SupervisorEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Kills the task: SIGTERM to every process group now, SIGKILL to every tree after <paramref name="grace"/>.
    /// Calling again may only shorten the grace (as a second Mesos KILL). The outcome is Killed unless the task
    /// had already ended otherwise.
    /// </summary>
    public void Stop(TimeSpan grace) => BeginStop(new TaskOutcome(TaskOutcomeKind.Killed, "killed on request"), grace);

    public async ValueTask DisposeAsync()
    {
        Stop(TimeSpan.Zero);
        _ = await _completion.ConfigureAwait(false);
        _graceful.Dispose();
        _forceful.Dispose();
    }

    private async Task<TaskOutcome> RunAsync()
    {
        await Task.Yield(); // Start returns before the first spawn
        await Task.WhenAll(_spec.Processes.Select(SuperviseAsync)).ConfigureAwait(false);
        TaskOutcome outcome;
        lock (_lock)
        {
            _killTimer?.Dispose();
            outcome = _outcome ?? new TaskOutcome(TaskOutcomeKind.Finished, "every process ended");
        }

        _events.Writer.TryWrite(new TaskEnded(outcome));
        _events.Writer.TryComplete();
        return outcome;
    }

    private async Task SuperviseAsync(ProcessSpec spec)
    {
        var command = spec.ToCommand() with
        {
            BaseEnvironment = _options.BaseEnvironment,
            ExcludedVariables = _options.ExcludedVariables,
            WorkingDirectory = _options.Sandbox,
            Output = ProcessOutput.ToFiles(OutputFor(spec)),
            TimeProvider = _time,
        };

        for (int restarts = 0; ; restarts++)
        {
            if (_graceful.IsCancellationRequested)
            {
                return;
            }

            RunningProcess process;
            try
            {
                process = await command.StartAsync().ConfigureAwait(false);
            }
            catch (ProcessStartException ex)
            {
                Emit(new ProcessStartFailed(spec.Name, ex.Message));
                if (spec.Essential)
                {
                    BeginStop(new TaskOutcome(TaskOutcomeKind.Error, $"process '{spec.Name}' could not start: {ex.Message}"), _options.StopGracePeriod);
                }

                return;
            }

            ProcessResult result;
            await using (process.ConfigureAwait(false))
            {
                lock (_lock)
                {
                    _running.Add(spec.Name);
                }

                Emit(new ProcessStarted(spec.Name, process.Pid, restarts));
                ReportRunningIfReady();
                result = await process.WaitAsync(_forceful.Token, _graceful.Token).ConfigureAwait(false);
                lock (_lock)
                {
                    _running.Remove(spec.Name);
                }
            }

            Emit(new ProcessExited(spec.Name, result.Pid, result.Status, result.StoppedBy));
            if (_graceful.IsCancellationRequested)
            {
                return; // stopping: nothing restarts
            }

            if (spec.Restart.ShouldRestart(result.Status, restarts))
            {
                var delay = spec.Restart.Delay(restarts);
                Emit(new ProcessRestartScheduled(spec.Name, restarts + 1, delay));
                try
                {
                    await Task.Delay(delay, _time, _graceful.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (!result.Status.IsSuccess)
            {
                if (spec.Essential)
                {
                    BeginStop(new TaskOutcome(TaskOutcomeKind.Failed, FailureMessage(spec, result.Status, restarts)), _options.StopGracePeriod);
                }

                return;
            }

            if (spec.Essential && Interlocked.Increment(ref _essentialFinished) == _essential.Count)
            {
                // The task's work is done: stop what is left (non-essential helpers).
                BeginStop(new TaskOutcome(TaskOutcomeKind.Finished, "every essential process exited with exit code 0"), _options.StopGracePeriod);
            }

            return;
        }
    }

    private OutputOptions OutputFor(ProcessSpec spec)
    {
        var output = _options.Output ?? new OutputOptions { Directory = _options.Sandbox };
        return _spec.IsSingleProcess
            ? output with { StdoutFileName = "stdout", StderrFileName = "stderr" }
            : output with { StdoutFileName = $"{spec.Name}.stdout", StderrFileName = $"{spec.Name}.stderr" };
    }

    private static string FailureMessage(ProcessSpec spec, ProcessExitStatus status, int restarts)
    {
        var message = $"process '{spec.Name}' failed with {status}";
        if (restarts == 0)
        {
            return message;
        }

        var times = restarts == 1 ? "1 restart" : $"{restarts} restarts";
        return spec.Restart.MaxRestarts is int max && restarts >= max
            ? $"{message} after {times} (restart budget of {max} used up)"
            : $"{message} after {times}";
    }

    private void ReportRunningIfReady()
    {
        lock (_lock)
        {
            if (_runningReported || _graceful.IsCancellationRequested)
            {
                return;
            }

            bool ready = _essential.Count > 0
                ? _essential.IsSubsetOf(_running)
                : _spec.Processes.All(p => _running.Contains(p.Name));
            if (!ready)
            {
                return;
            }

            _runningReported = true;
            Emit(new TaskRunning());
        }
    }

    /// <summary>Graceful stop of everything now, forceful at now + grace; the first outcome wins, a later call may only shorten the grace.</summary>
    private void BeginStop(TaskOutcome outcome, TimeSpan grace)
    {
        if (grace < TimeSpan.Zero)
        {
            grace = TimeSpan.Zero;
        }

        bool first;
        lock (_lock)
        {
            first = _outcome is null;
            _outcome ??= outcome;
            var deadline = _time.GetUtcNow() + grace;
            if (deadline >= _killDeadline)
            {
                return;
            }

            _killDeadline = deadline;
            if (first)
            {
                Emit(new TaskStopping(outcome.Message, grace));
            }

            if (grace == TimeSpan.Zero)
            {
                _killTimer?.Dispose();
                _killTimer = null;
            }
            else if (_killTimer is null)
            {
                _killTimer = _time.CreateTimer(static state => ((ProcessSetSupervisor)state!).KillNow(), this, grace, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _killTimer.Change(grace, Timeout.InfiniteTimeSpan);
            }
        }

        // Outside the lock: token callbacks signal the processes synchronously.
        if (first)
        {
            _graceful.Cancel();
        }

        if (grace == TimeSpan.Zero)
        {
            KillNow();
        }
    }

    private void KillNow()
    {
        try
        {
            _forceful.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the task already ended
        }
    }

    private void Emit(SupervisorEvent supervisorEvent) => _events.Writer.TryWrite(supervisorEvent);
}
