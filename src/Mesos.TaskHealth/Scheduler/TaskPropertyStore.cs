using System.Collections.Concurrent;

namespace Mesos.TaskHealth;

/// <summary>
/// Per-task properties (the seed keeps them on <c>task.runtimeInfo</c>). Several taskHealthHelpers with
/// different prefixes may share one store, as the seed's helpers share the task object. Thread-safe.
/// </summary>
public sealed class TaskPropertyStore
{
    private readonly ConcurrentDictionary<string, Dictionary<string, object>> _tasks = new(StringComparer.Ordinal);

    /// <summary>A copy of the task's properties; empty if it has none.</summary>
    public IReadOnlyDictionary<string, object> Get(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (!_tasks.TryGetValue(taskId, out var properties))
        {
            return new Dictionary<string, object>();
        }

        lock (properties)
        {
            return new Dictionary<string, object>(properties, StringComparer.Ordinal);
        }
    }

    /// <summary>One property of a task.</summary>
    public bool TryGetValue(string taskId, string name, out object? value)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(name);
        value = null;
        if (!_tasks.TryGetValue(taskId, out var properties))
        {
            return false;
        }

        lock (properties)
        {
            return properties.TryGetValue(name, out value);
        }
    }

    /// <summary>Forgets a task (the helper does so when its source no longer lists the task).</summary>
    public void Remove(string taskId) => _tasks.TryRemove(taskId, out _);

    /// <summary>The ids of the tasks that have properties.</summary>
    public IReadOnlyCollection<string> TaskIds => [.. _tasks.Keys];

    internal TResult Update<TResult>(string taskId, Func<Dictionary<string, object>, TResult> update)
    {
        var properties = _tasks.GetOrAdd(taskId, static _ => new Dictionary<string, object>(StringComparer.Ordinal));
        lock (properties)
        {
            return update(properties);
        }
    }
}
