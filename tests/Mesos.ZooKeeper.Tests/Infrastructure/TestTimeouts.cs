namespace Mesos.ZooKeeper.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded, so a bug fails a test instead of hanging the run.</summary>
internal static class TestTimeouts
{
    /// <summary>Generous: the machine is shared with other builds.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? Default);
}
