using Mesos.Protocol.Http;

namespace Mesos.Scheduler.Lite;

public sealed partial class SchedulerClient
{
    private readonly Lock _reconcileGate = new();
    private readonly HashSet<string> _awaitingReconciliation = new(StringComparer.Ordinal);
    private TaskCompletionSource? _allAnswered;

    /// <summary>Tasks sent in explicit reconciliation that have not answered yet.</summary>
    public IReadOnlyCollection<string> TasksAwaitingReconciliation
    {
        get
        {
            lock (_reconcileGate)
            {
                return _awaitingReconciliation.ToArray();
            }
        }
    }

    /// <summary>Reconciles every known task now and keeps retrying, with backoff, those that do not answer (mesos-framework <c>sync</c>).</summary>
    public Task ReconcileKnownTasksAsync(CancellationToken cancellationToken = default) => ExplicitReconciliationAsync(cancellationToken);

    private void StartBackgroundWork(CancellationToken token)
    {
        if (_options.Reconciliation.ExplicitAfterSubscribe)
        {
            _ = Task.Run(() => ExplicitReconciliationAsync(token), CancellationToken.None);
        }

        if (_options.Reconciliation.ImplicitInterval is { } every)
        {
            _ = Task.Run(() => ImplicitReconciliationAsync(every, token), CancellationToken.None);
        }
    }

    private async Task ExplicitReconciliationAsync(CancellationToken token)
    {
        TaskCompletionSource allAnswered;
        lock (_reconcileGate)
        {
            _awaitingReconciliation.Clear();
            foreach (var id in _knownTasks.Keys)
            {
                _awaitingReconciliation.Add(id);
            }

            if (_awaitingReconciliation.Count == 0)
            {
                return;
            }

            _allAnswered?.TrySetCanceled(CancellationToken.None);
            allAnswered = _allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var delay = _options.Reconciliation.RetryMinimum;
        for (var round = 1; !token.IsCancellationRequested; round++)
        {
            (TaskID, AgentID?)[] pending;
            lock (_reconcileGate)
            {
                pending = _awaitingReconciliation
                    .Select(id => (new TaskID { Value = id }, _knownTasks.TryGetValue(id, out var agent) ? agent : null))
                    .ToArray();
            }

            if (pending.Length == 0)
            {
                return;
            }

            Log.Reconciling(_logger, pending.Length, round);
            try
            {
                await ReconcileAsync(pending, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MesosConnectionException or MesosHttpException or InvalidOperationException)
            {
                Log.ReconcileFailed(_logger, ex);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.WhenAny(allAnswered.Task, Task.Delay(delay, _time, token)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (allAnswered.Task.IsCompleted)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.Reconciliation.RetryMaximum.Ticks));
        }
    }

    private async Task ImplicitReconciliationAsync(TimeSpan every, CancellationToken token)
    {
        using var timer = new PeriodicTimer(every, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await ReconcileAsync(null, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MesosConnectionException or MesosHttpException or InvalidOperationException)
                {
                    Log.ReconcileFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Unsubscribed or stopped.
        }
    }
}
