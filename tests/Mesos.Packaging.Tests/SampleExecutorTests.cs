using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Mesos.Packaging.Tests.Support;
using Mesos.Testing.Agent;
using Mesos.V1;

namespace Mesos.Packaging.Tests;

/// <summary>
/// samples/CustomRunnerExecutor, built the way a user outside this repository builds it: from the packed packages in
/// a folder feed (nothing of the repository's build settings), then started by the fake agent as an agent starts an
/// executor, with a task for its own runner.
/// </summary>
[Collection(PackagingCollection.Name)]
[Trait("Category", "Packaging")]
public sealed class SampleExecutorTests(PackedFeed feed)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    private string ProjectDirectory => Path.Combine(feed.Samples, "CustomRunnerExecutor");

    [Fact]
    public async Task Sample_BuiltAgainstTheFeed_RunsItsJobToFinished()
    {
        await Dotnet.RunAsync(
            ProjectDirectory, BuildTimeout, feed.SampleEnvironment,
            "build", "-c", "Release", $"-p:MesosAgentVersion={PackedFeed.Version}", "--disable-build-servers", "-nologo");

        AssertRestoredFromTheFeed("Mesos.Executor");
        AssertRestoredFromTheFeed("Mesos.Protocol");
        await RunJobToFinishedAsync(Path.Combine(ProjectDirectory, "bin", "Release", "net10.0", "custom-runner-executor"));
    }

    [Fact]
    public async Task Sample_PublishedAsASelfContainedSingleFile_RunsItsJobToFinished()
    {
        var output = Path.Combine(feed.Root, "publish");

        await Dotnet.RunAsync(
            ProjectDirectory, BuildTimeout, feed.SampleEnvironment,
            "publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true",
            $"-p:MesosAgentVersion={PackedFeed.Version}", "-o", output, "--disable-build-servers", "-nologo");

        // One file to ship through ExecutorInfo.command.uris (the .pdb stays behind).
        Assert.Equal(["custom-runner-executor"], Directory.EnumerateFiles(output).Select(Path.GetFileName).Where(f => !f!.EndsWith(".pdb", StringComparison.Ordinal)));
        AssertRestoredFromTheFeed("Mesos.Executor");
        await RunJobToFinishedAsync(Path.Combine(output, "custom-runner-executor"));
    }

    /// <summary>The package in the sample's own packages folder is the one just packed, from the feed.</summary>
    private void AssertRestoredFromTheFeed(string packageId)
    {
        var folder = Path.Combine(feed.Packages, packageId.ToLowerInvariant(), PackedFeed.Version);
        var restored = Path.Combine(folder, $"{packageId.ToLowerInvariant()}.{PackedFeed.Version}.nupkg");
        Assert.True(File.Exists(restored), $"{packageId} was not restored into {feed.Packages}");
        Assert.Equal(File.ReadAllBytes(feed.PackagePath(packageId)), File.ReadAllBytes(restored));
        Assert.Contains($"\"source\": \"{feed.Feed}\"", File.ReadAllText(Path.Combine(folder, ".nupkg.metadata")), StringComparison.Ordinal);
    }

    private async Task RunJobToFinishedAsync(string executable)
    {
        const string text = "built from the packed packages";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        await using var agent = await FakeAgent.StartAsync().WaitAsync(RunTimeout);
        await using var executor = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions
        {
            FileName = executable,
            WorkDirectory = Path.Combine(feed.Root, "agent"),
            RegistrationTimeout = RunTimeout,
            // A framework-dependent build finds the runtime through DOTNET_ROOT when it is not installed in the default place.
            CommandEnvironment = System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
                ? new Dictionary<string, string> { ["DOTNET_ROOT"] = root }
                : new Dictionary<string, string>(),
        }).WaitAsync(RunTimeout);

        await agent.LaunchAsync(new TaskInfo
        {
            Name = "checksum",
            TaskId = new TaskID { Value = "job-1" },
            Data = ByteString.CopyFromUtf8("sha256:" + text),
        }).AsTask().WaitAsync(RunTimeout);

        var finished = await agent.WaitForUpdateAsync("job-1", TaskState.TaskFinished, RunTimeout);
        Assert.Equal(expected, finished.Message);
        Assert.Equal(
            [TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished],
            agent.Updates.Where(u => u.TaskId.Value == "job-1").Select(u => u.State));
        Assert.Equal("running job 'sha256'", agent.Updates.Single(u => u.State == TaskState.TaskRunning).Message);
        Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(executor.SandboxDirectory, "result.txt")));
        Assert.Equal(0, await executor.WaitForExitAsync(RunTimeout));
    }
}
