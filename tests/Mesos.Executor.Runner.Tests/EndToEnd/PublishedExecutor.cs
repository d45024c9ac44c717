using System.Diagnostics;

namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>
/// The real product: publish/publish-executor.sh run once for the test run (self-contained, trimmed,
/// ReadyToRun, single file), so end-to-end tests exercise exactly what a framework ships. Set
/// <see cref="BinaryVariable"/> to an already published executor to skip the publish (iterating on tests).
/// </summary>
public sealed class PublishedExecutor : IAsyncLifetime
{
    public const string BinaryVariable = "MESOS_EXECUTOR_E2E_BINARY";

    // Generous: a trimmed ReadyToRun publish on two cores shared with other builds took over 8 minutes.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    public string Path { get; private set; } = string.Empty;

    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mesos-executor-e2e-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } given)
        {
            Path = System.IO.Path.GetFullPath(given);
            Assert.True(File.Exists(Path), $"{BinaryVariable} names no file: {Path}");
            return;
        }

        var script = System.IO.Path.Combine(RepoPaths.Root, "publish", "publish-executor.sh");
        var start = new ProcessStartInfo("bash", [script, Directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException($"publish-executor.sh did not finish within {PublishTimeout}");
        }

        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish-executor.sh failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        }

        Path = System.IO.Path.Combine(Directory, "mesos-executor");
        Assert.True(File.Exists(Path), $"no executor at {Path}");
    }

    public Task DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedExecutorCollection : ICollectionFixture<PublishedExecutor>
{
    // End-to-end tests run one after another: each starts a real executor and real task processes.
    public const string Name = "published executor";
}
