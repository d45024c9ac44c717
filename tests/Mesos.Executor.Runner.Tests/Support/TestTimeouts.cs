namespace Mesos.Executor.Runner.Tests.Support;

internal static class TestTimeouts
{
    /// <summary>The bound on every await in these tests: a bug fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(20);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Await);

    public static Task Bounded(this Task task) => task.WaitAsync(Await);
}
