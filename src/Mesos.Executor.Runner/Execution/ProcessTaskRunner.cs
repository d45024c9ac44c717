using Mesos.Executor.Runner.Processes.Output;
using Mesos.Executor.Runner.Tasks;
using Mesos.Executor.Tasks;
using Mesos.TaskHealth;
using Microsoft.Extensions.Logging;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Runner.Execution;

/// <summary>
/// The default task runner: a task is a supervised set of processes (one for a plain task, several for a
/// <c>processes</c> payload). Reports TASK_RUNNING once every essential process runs, runs the task's health check
/// with Mesos semantics (kill after the consecutive failures), honours <c>max_completion_time</c>, and maps how the
/// processes ended to the terminal state; kills use SIGTERM to the process groups, SIGKILL after the grace period.
/// </summary>
internal sealed class ProcessTaskRunner : ITaskRunner
{
    private readonly ILogger<ProcessTaskRunner> _logger;
    private readonly TimeProvider _time;
    private readonly QuietMemoryTrimmer? _trimmer;

    public ProcessTaskRunner(ILogger<ProcessTaskRunner> logger, TimeProvider? timeProvider = null, QuietMemoryTrimmer? trimmer = null)
    {
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _trimmer = trimmer;
    }

    public async Task<TaskResult> RunAsync(TaskInfo task, ITaskContext context, CancellationToken kill)
    {
        _trimmer?.NoteActivity();
        try
        {
            return await RunTaskAsync(task, context, kill).ConfigureAwait(false);
        }
        finally
        {
            _trimmer?.NoteActivity();
        }
    }

    private async Task<TaskResult> RunTaskAsync(TaskInfo task, ITaskContext context, CancellationToken kill)
    {
        var taskId = task.TaskId.Value;
        TaskSpec spec;
        MesosHealthCheckOptions? health = null;
        try
        {
            spec = TaskSpecResolver.Resolve(task, context.Executor);
            if (task.HealthCheck is { } check)
            {
                health = HealthCheckMapping.ToOptions(check, context.SandboxDirectory);
            }
        }
        catch (Exception ex) when (ex is TaskPayloadException or ArgumentException)
        {
            Log.TaskRejected(_logger, taskId, ex.Message);
            return new TaskResult(TaskState.TaskError, ex.Message, Reason.TaskInvalid);
        }

        var run = new TaskRun(task, context, spec, _logger);
        var supervisor = ProcessSetSupervisor.Start(spec, new SupervisorOptions
        {
            Sandbox = context.SandboxDirectory,
            Output = new OutputOptions { Directory = OutputDirectory(context.SandboxDirectory, taskId) },
            TimeProvider = _time,
        });
        run.Supervisor = supervisor;
        Log.TaskStarting(_logger, taskId, spec.Processes.Count, string.Join(", ", spec.Processes.Select(p => p.Name)));

        await using (supervisor.ConfigureAwait(false))
        {
            using var onKill = kill.Register(() => run.Stop(StopCause.Kill, context.KillGracePeriod));
            using var onForceKill = context.ForceKill.Register(() => run.Stop(StopCause.Kill, TimeSpan.Zero));
            using var deadline = StartDeadline(task, run);
            HealthMonitor? monitor = null;
            try
            {
                await foreach (var ev in supervisor.ReadEventsAsync().ConfigureAwait(false))
                {
                    switch (ev)
                    {
                        case TaskRunning:
                            await run.ReportRunningAsync().ConfigureAwait(false);
                            if (health is not null && monitor is null)
                            {
                                monitor = HealthMonitor.Start(health.ToTarget(taskId), run.OnHealthEventAsync, _time, _logger);
                            }

                            break;
                        case ProcessExited exited:
                            run.LastExit[exited.Process] = exited.Status.ToString();
                            Log.ProcessExited(_logger, taskId, exited.Process, exited.Pid, exited.Status.ToString());
                            break;
                        case ProcessRestartScheduled restart:
                            await run.ReportRestartAsync(restart).ConfigureAwait(false);
                            break;
                        case ProcessStartFailed failed:
                            Log.ProcessStartFailed(_logger, taskId, failed.Process, failed.Message);
                            break;
                    }
                }
            }
            finally
            {
                if (monitor is not null)
                {
                    await monitor.DisposeAsync().ConfigureAwait(false);
                }
            }

            return run.ToResult(await supervisor.Completion.ConfigureAwait(false));
        }
    }

    private IDisposable? StartDeadline(TaskInfo task, TaskRun run)
    {
        if (task.MaxCompletionTime is not { } max)
        {
            return null;
        }

        var limit = TimeSpan.FromTicks(Math.Max(0, max.Nanoseconds / 100));
        return _time.CreateTimer(_ => run.Stop(StopCause.Deadline, run.Context.KillGracePeriod, $"{limit.TotalSeconds:0.###}s"), null, limit, Timeout.InfiniteTimeSpan);
    }

    // The sandbox's own stdout/stderr belong to the executor (the agent redirects it there), so each task's
    // output goes to a folder of its own: tasks/<task id>/stdout, or tasks/<task id>/<process>.stdout for 1:N.
    private static string OutputDirectory(string sandbox, string taskId)
    {
        var safe = string.Concat(taskId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        if (safe is "." or "..")
        {
            safe = "_" + safe;
        }

        return Path.Combine(sandbox, "tasks", safe);
    }

    private enum StopCause
    {
        Kill,
        HealthCheck,
        Deadline,
    }

    /// <summary>The mutable state of one task's run, shared by the event loop, kill callbacks and health callbacks.</summary>
    private sealed class TaskRun(TaskInfo task, ITaskContext context, TaskSpec spec, ILogger logger)
    {
        private readonly Lock _gate = new();
        private StopCause? _stopCause;
        private string? _stopMessage;
        private bool _runningReported;

        public ITaskContext Context => context;

        public ProcessSetSupervisor? Supervisor { get; set; }

        public Dictionary<string, string> LastExit { get; } = new(StringComparer.Ordinal);

        private bool Stopping
        {
            get
            {
                lock (_gate)
                {
                    return _stopCause is not null;
                }
            }
        }

        /// <summary>Stops the processes; the first cause is the one reported, a later stop can only shorten the grace.</summary>
        public void Stop(StopCause cause, TimeSpan grace, object? detail = null)
        {
            lock (_gate)
            {
                if (_stopCause is null)
                {
                    _stopCause = cause;
                    _stopMessage = cause switch
                    {
                        StopCause.Deadline => $"Task reached its max_completion_time of {detail}",
                        StopCause.HealthCheck => detail as string,
                        _ => null,
                    };
                }
            }

            Log.TaskStopping(logger, task.TaskId.Value, cause.ToString(), grace);
            Supervisor?.Stop(grace);
        }

        public async Task ReportRunningAsync()
        {
            _runningReported = true;
            var message = spec.IsSingleProcess
                ? null
                : $"{spec.Processes.Count(p => p.Essential)} essential of {spec.Processes.Count} processes running ({string.Join(", ", spec.Processes.Select(p => p.Name))})";
            await UpdateAsync(new TaskStatus { State = TaskState.TaskRunning, Message = message ?? string.Empty }).ConfigureAwait(false);
        }

        public async Task ReportRestartAsync(ProcessRestartScheduled restart)
        {
            var how = LastExit.GetValueOrDefault(restart.Process, "ended");
            Log.ProcessRestarting(logger, task.TaskId.Value, restart.Process, how, restart.Restart, restart.Delay);
            if (_runningReported)
            {
                await UpdateAsync(new TaskStatus
                {
                    State = TaskState.TaskRunning,
                    Message = $"process '{restart.Process}' ended with {how}; restart {restart.Restart} in {restart.Delay.TotalSeconds:0.###}s",
                }).ConfigureAwait(false);
            }
        }

        public async ValueTask OnHealthEventAsync(HealthEvent ev)
        {
            if (Stopping)
            {
                return; // no health updates once the task is being killed (upstream's behaviour too)
            }

            switch (ev)
            {
                case HealthChanged { Current: HealthState.Healthy } changed:
                    await UpdateAsync(new TaskStatus
                    {
                        State = TaskState.TaskRunning,
                        Healthy = true,
                        Reason = Reason.TaskHealthCheckStatusUpdated,
                        Message = changed.Previous == HealthState.Unhealthy ? "Health check passed again" : "Health check passed",
                    }).ConfigureAwait(false);
                    break;
                case ProbeFailed { InGracePeriod: false } failed:
                    await UpdateAsync(new TaskStatus
                    {
                        State = TaskState.TaskRunning,
                        Healthy = false,
                        Reason = Reason.TaskHealthCheckStatusUpdated,
                        Message = $"Health check failed {failed.ConsecutiveFailures} time(s) in a row: {failed.Result.Message}",
                    }).ConfigureAwait(false);
                    break;
                case HealthChanged { Current: HealthState.Unhealthy } unhealthy:
                    Stop(
                        StopCause.HealthCheck,
                        context.KillGracePeriod,
                        $"Task killed by its health check after {unhealthy.ConsecutiveFailures} consecutive failures (last: {unhealthy.Result.Message})");
                    break;
            }
        }

        public TaskResult ToResult(TaskOutcome outcome)
        {
            StopCause? cause;
            string? stopMessage;
            lock (_gate)
            {
                cause = _stopCause;
                stopMessage = _stopMessage;
            }

            return (outcome.Kind, cause) switch
            {
                (_, StopCause.Deadline) => TaskResult.Failed(stopMessage!, Reason.MaxCompletionTimeReached),
                (TaskOutcomeKind.Killed, StopCause.HealthCheck) => new TaskResult(TaskState.TaskKilled, stopMessage) { Healthy = false },
                (TaskOutcomeKind.Finished, _) => TaskResult.Finished(outcome.Message),
                (TaskOutcomeKind.Failed, _) => TaskResult.Failed(outcome.Message),
                (TaskOutcomeKind.Killed, _) => TaskResult.Killed(outcome.Message),
                (TaskOutcomeKind.Error, _) => new TaskResult(TaskState.TaskError, outcome.Message, Reason.ContainerLaunchFailed),
                _ => TaskResult.Failed(outcome.Message),
            };
        }

        // A status the agent refuses must not end the task: the processes still run and are supervised.
        private async Task UpdateAsync(TaskStatus status)
        {
            if (status.Message.Length == 0)
            {
                status.ClearMessage();
            }

            try
            {
                await context.UpdateAsync(status).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.UpdateFailed(logger, task.TaskId.Value, status.State.ToString(), ex.Message);
            }
        }
    }
}
