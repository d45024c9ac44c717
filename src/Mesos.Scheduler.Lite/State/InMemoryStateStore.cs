using System.Collections.Concurrent;

namespace Mesos.Scheduler.Lite;

/// <summary>A state store that forgets everything when the process ends: for tests and stateless frameworks.</summary>
public sealed class InMemoryStateStore : ISchedulerStateStore
{
    private readonly ConcurrentDictionary<string, StoredTask> _tasks = new(StringComparer.Ordinal);
    private volatile string? _frameworkId;

    public ValueTask<SchedulerState> LoadAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new SchedulerState(_frameworkId, _tasks.Values.OrderBy(t => t.TaskId, StringComparer.Ordinal).ToArray()));

    public ValueTask SaveFrameworkIdAsync(string? frameworkId, CancellationToken cancellationToken = default)
    {
        _frameworkId = frameworkId;
        return ValueTask.CompletedTask;
    }

    public ValueTask SaveTaskAsync(StoredTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        _tasks[task.TaskId] = task;
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        _tasks.TryRemove(taskId, out _);
        return ValueTask.CompletedTask;
    }
}
