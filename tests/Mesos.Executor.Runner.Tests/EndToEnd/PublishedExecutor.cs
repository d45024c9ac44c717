namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>
/// The real product: publish/publish-executor.sh (self-contained, trimmed, ReadyToRun, single file), so end-to-end
/// tests exercise exactly what a framework ships. Published once per version of the sources and shared with the other
/// test projects through <see cref="PublishedExecutorCache"/>; <c>MESOS_EXECUTOR_PATH</c> names an already published one.
/// </summary>
public sealed class PublishedExecutor : IAsyncLifetime
{
    // A trimmed ReadyToRun publish on two cores shared with other builds took over 8 minutes.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(11);

    public string Path { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Path = await PublishedExecutorCache.GetAsync().WaitAsync(PublishTimeout);
        Assert.True(File.Exists(Path), $"no executor at {Path}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PublishedExecutorCollection : ICollectionFixture<PublishedExecutor>
{
    // End-to-end tests run one after another: each starts a real executor and real task processes.
    public const string Name = "published executor";
}
