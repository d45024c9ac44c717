namespace Mesos.TaskHealth;

/// <summary>Where the taskHealthHelper gets the launched tasks from each round (the seed's <c>scheduler.launchedTasks</c>).</summary>
public interface ITaskSource
{
    /// <summary>The launched tasks now; the helper probes the running ones.</summary>
    ValueTask<IReadOnlyCollection<HealthCheckedTask>> GetTasksAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates <see cref="ITaskSource"/> instances.</summary>
public static class TaskSource
{
    /// <summary>A source that asks <paramref name="tasks"/> each round.</summary>
    public static ITaskSource FromDelegate(Func<IReadOnlyCollection<HealthCheckedTask>> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return new DelegateSource(tasks);
    }

    private sealed class DelegateSource(Func<IReadOnlyCollection<HealthCheckedTask>> tasks) : ITaskSource
    {
        public ValueTask<IReadOnlyCollection<HealthCheckedTask>> GetTasksAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(tasks());
    }
}
