namespace Mesos.Scheduler.Lite;

public sealed partial class FrameworkScheduler
{
    private async Task HandleUpdateAsync(MesosTaskStatus status, CancellationToken cancellationToken)
    {
        var taskId = status.TaskId?.Value;
        if (taskId is null)
        {
            return;
        }

        Slot slot;
        ManagedTask previous;
        lock (_slots)
        {
            if (!_tasks.TryGetValue(taskId, out var entry))
            {
                slot = null!;
                previous = null!;
            }
            else
            {
                (slot, previous) = entry;
            }
        }

        if (previous is null)
        {
            if (_options.KillUnknownTasks && !TaskStates.IsTerminal(status.State))
            {
                Log.KillingUnknown(_logger, taskId);
                await RequireClient().KillAsync(status.TaskId!, status.AgentId, null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var updated = previous with
        {
            State = status.State,
            AgentId = status.AgentId?.Value ?? previous.AgentId,
            ExecutorId = status.ExecutorId?.Value ?? previous.ExecutorId,
            Healthy = status.HasHealthy ? status.Healthy : previous.Healthy,
            LastStatus = status,
        };
        Log.TaskState(_logger, taskId, TaskStates.ToProtocolName(status.State));
        var terminal = TaskStates.IsTerminal(status.State);
        if (!terminal)
        {
            lock (_slots)
            {
                _tasks[taskId] = (slot, updated);
            }

            if (previous.State != status.State)
            {
                await _options.StateStore.SaveTaskAsync(updated.ToStored(), cancellationToken).ConfigureAwait(false);
            }

            if (_options.OnTaskUpdated is { } onUpdated)
            {
                await onUpdated(new TaskUpdate(taskId, updated.ExecutorId, status.State, updated)).ConfigureAwait(false);
            }

            if (status.State == TaskState.TaskRunning && previous.State != TaskState.TaskRunning && _options.OnTaskLaunched is { } onLaunched)
            {
                await onLaunched(updated).ConfigureAwait(false);
            }

            return;
        }

        bool restart;
        TimeSpan delay = default;
        lock (_slots)
        {
            _tasks.Remove(taskId);
            slot.Live.Remove(taskId);
            slot.LastTerminal = status.State;
            restart = false;
            if (slot.Live.Count == 0)
            {
                var spec = _options.Tasks[slot.Spec];
                var restartStates = spec.RestartStates ?? _options.RestartStates;
                var why = slot.Retired || slot.Serial > _instances[slot.Spec] ? "scaled down"
                    : !restartStates.Contains(status.State) ? "not a restart state"
                    : _options.MaxRestartAttempts is { } max && slot.Attempts >= max ? $"{max} restart attempts spent"
                    : null;
                if (why is null)
                {
                    slot.Attempts++;
                    delay = _options.RestartBackoff.DelayFor(slot.Attempts, Random.Shared.NextDouble());
                    slot.Pending = true;
                    slot.NotBefore = _time.GetUtcNow() + delay;
                    restart = true;
                    Log.Restarting(_logger, taskId, TaskStates.ToProtocolName(status.State), delay, slot.Attempts);
                }
                else
                {
                    _slots.Remove(slot);
                    Log.NotRestarting(_logger, taskId, TaskStates.ToProtocolName(status.State), why);
                }
            }
        }

        await _options.StateStore.RemoveTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (_options.OnTaskUpdated is { } onTerminal)
        {
            await onTerminal(new TaskUpdate(taskId, updated.ExecutorId, status.State, updated)).ConfigureAwait(false);
        }

        if (_options.OnTaskRemoved is { } onRemoved)
        {
            await onRemoved(taskId).ConfigureAwait(false);
        }

        if (restart)
        {
            ScheduleRevive(delay);
        }
    }
}
