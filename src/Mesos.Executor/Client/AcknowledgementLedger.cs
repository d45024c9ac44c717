using Google.Protobuf;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Client;

/// <summary>
/// What the agent has not acknowledged yet: every update sent (in order) until its ACKNOWLEDGED arrives, and every
/// launched task until one of its updates is acknowledged. Both lists go into each re-SUBSCRIBE so nothing is lost
/// while the agent restarts (docs/executor-http-api.md, "Disconnections").
/// </summary>
internal sealed class AcknowledgementLedger
{
    private readonly Lock _gate = new();
    private readonly List<TaskInfo> _tasks = [];
    private readonly List<TaskStatus> _updates = [];
    private readonly HashSet<string> _acknowledgedTasks = new(StringComparer.Ordinal);
    private TaskCompletionSource _allAcknowledged = NewCompleted();

    public void AddTask(TaskInfo task)
    {
        lock (_gate)
        {
            if (!_acknowledgedTasks.Contains(task.TaskId.Value) && !_tasks.Exists(t => t.TaskId.Value == task.TaskId.Value))
            {
                _tasks.Add(task);
            }
        }
    }

    public void AddUpdate(TaskStatus status)
    {
        lock (_gate)
        {
            if (_updates.Count == 0)
            {
                _allAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _updates.Add(status);
        }
    }

    /// <summary>Records an ACKNOWLEDGED; false when the uuid was not pending (a duplicate or someone else's).</summary>
    public bool Acknowledge(string taskId, ByteString uuid)
    {
        lock (_gate)
        {
            _acknowledgedTasks.Add(taskId);
            _tasks.RemoveAll(t => t.TaskId.Value == taskId);
            return RemoveLocked(uuid);
        }
    }

    /// <summary>Forgets an update the agent rejected: resending it would be rejected again.</summary>
    public bool Remove(ByteString uuid)
    {
        lock (_gate)
        {
            return RemoveLocked(uuid);
        }
    }

    public bool IsPending(ByteString uuid)
    {
        lock (_gate)
        {
            return _updates.Exists(u => u.Uuid.Equals(uuid));
        }
    }

    public int PendingUpdateCount
    {
        get
        {
            lock (_gate)
            {
                return _updates.Count;
            }
        }
    }

    public (TaskInfo[] Tasks, TaskStatus[] Updates) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _tasks], [.. _updates]);
        }
    }

    public Task WhenAllAcknowledgedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _allAcknowledged.Task.WaitAsync(cancellationToken);
        }
    }

    private bool RemoveLocked(ByteString uuid)
    {
        var index = _updates.FindIndex(u => u.Uuid.Equals(uuid));
        if (index < 0)
        {
            return false;
        }

        _updates.RemoveAt(index);
        if (_updates.Count == 0)
        {
            _allAcknowledged.TrySetResult();
        }

        return true;
    }

    private static TaskCompletionSource NewCompleted()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
