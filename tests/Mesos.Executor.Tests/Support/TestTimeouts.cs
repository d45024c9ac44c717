namespace Mesos.Executor.Tests.Support;

/// <summary>Every await in these tests is bounded so a bug fails the test instead of hanging it.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Bounded(this Task task) => task.WaitAsync(Default);

    public static Task Bounded(this ValueTask task) => task.AsTask().WaitAsync(Default);

    public static Task<T> Bounded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);
}
