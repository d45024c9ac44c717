using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.TaskHealth;

/// <summary>
/// Probes one target by its policy until stopped: waits the initial delay, probes under the timeout, feeds
/// the result to the state machine, hands each event to the callback, waits the interval, repeats.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    private readonly HealthTarget _target;
    private readonly Func<HealthEvent, ValueTask>? _onEvent;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HealthStateMachine _machine;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;

    private HealthMonitor(HealthTarget target, Func<HealthEvent, ValueTask>? onEvent, TimeProvider time, ILogger logger)
    {
        _target = target;
        _onEvent = onEvent;
        _time = time;
        _logger = logger;
        _machine = new HealthStateMachine(target.Name, target.Policy, time.GetUtcNow());
    }

    /// <summary>The target this monitor probes.</summary>
    public HealthTarget Target => _target;

    /// <summary>The current state, counters and last result.</summary>
    public HealthSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _machine.Snapshot(_time.GetUtcNow());
            }
        }
    }

    /// <summary>Completes when the monitor has stopped.</summary>
    public Task Completion => _loop;

    /// <summary>
    /// Starts monitoring <paramref name="target"/> now (the grace period counts from here).
    /// <paramref name="onEvent"/> is awaited for each event, in order, on the monitor's loop: a slow
    /// callback delays the next probe, an exception from it is logged and ignored.
    /// </summary>
    public static HealthMonitor Start(
        HealthTarget target,
        Func<HealthEvent, ValueTask>? onEvent = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var monitor = new HealthMonitor(target, onEvent, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance);
        monitor._loop = monitor.RunAsync(monitor._stop.Token);
        return monitor;
    }

    /// <summary>Stops probing (an attempt in flight is cancelled) and waits for the loop to end.</summary>
    public async ValueTask StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        // Yield so Start returns before the first wait or probe runs on the caller's stack.
        await Task.Yield();
        try
        {
            if (_target.Policy.InitialDelay > TimeSpan.Zero)
            {
                await Task.Delay(_target.Policy.InitialDelay, _time, stop).ConfigureAwait(false);
            }

            while (true)
            {
                var result = await _target.Probe.ProbeAsync(_target.Policy.Timeout, _time, stop).ConfigureAwait(false);
                IReadOnlyList<HealthEvent> events;
                lock (_gate)
                {
                    events = _machine.Observe(result, _time.GetUtcNow());
                }

                foreach (var healthEvent in events)
                {
                    LogEvent(healthEvent);
                    await PublishAsync(healthEvent).ConfigureAwait(false);
                }

                if (_target.Policy.Interval > TimeSpan.Zero)
                {
                    await Task.Delay(_target.Policy.Interval, _time, stop).ConfigureAwait(false);
                }
                else
                {
                    stop.ThrowIfCancellationRequested();
                    await Task.Yield();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async ValueTask PublishAsync(HealthEvent healthEvent)
    {
        if (_onEvent is null)
        {
            return;
        }

        try
        {
            await _onEvent(healthEvent).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EventCallbackFailed(_logger, _target.Name, healthEvent.GetType().Name, ex);
        }
    }

    private void LogEvent(HealthEvent healthEvent)
    {
        switch (healthEvent)
        {
            case HealthChanged changed:
                Log.HealthChanged(_logger, changed.Target, changed.Previous, changed.Current, changed.Result.Message);
                break;
            case ProbeFailed failed:
                Log.ProbeFailed(_logger, failed.Target, failed.Result.Failure, failed.Result.Message, failed.ConsecutiveFailures, failed.InGracePeriod);
                break;
        }
    }
}
