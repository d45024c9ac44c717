using Mesos.Executor.Tests.Support;
using Mesos.Testing.Agent;
using Mesos.V1;

namespace Mesos.Executor.Tests.Agent;

/// <summary>The minimal executor started as a real process, exactly the way an agent starts one.</summary>
public sealed class ExecutorProcessTests
{
    // Its own build output (bin/<Configuration>/net10.0), with its own runtimeconfig and dependencies.
    private static readonly string MinimalExecutor = BenchExecutable("Mesos.Executor.MinimalExecutor");

    // The same on the library's low-level API (no Generic Host).
    private static readonly string LowLevelExecutor = BenchExecutable("Mesos.Executor.LowLevelExecutor");

    private static string BenchExecutable(string name) => Path.Combine(
        RepoPaths.Root, "bench", name, "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", name);

    [Fact]
    public async Task LowLevelExecutor_RunsFinishesAndKillsTasks_AndExitsZeroAfterShutdown()
    {
        await using var agent = await FakeAgent.StartAsync().Bounded();
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = LowLevelExecutor }).Bounded();

        await agent.LaunchAsync(new TaskInfo { Name = "a", TaskId = new TaskID { Value = "a" } }).Bounded();
        await agent.LaunchAsync(new TaskInfo { Name = "b", TaskId = new TaskID { Value = "b" }, Data = Google.Protobuf.ByteString.CopyFromUtf8("exit:3") }).Bounded();
        await agent.LaunchAsync(new TaskInfo { Name = "c", TaskId = new TaskID { Value = "c" } }).Bounded();
        await agent.WaitForUpdateAsync("c", TaskState.TaskRunning);
        await agent.KillAsync("a").Bounded();
        await agent.WaitForUpdateAsync("a", TaskState.TaskKilled);

        await agent.ShutdownAsync().Bounded();

        Assert.Equal(0, await process.WaitForExitAsync(TestTimeouts.Default));
        Assert.Equal([TaskState.TaskRunning, TaskState.TaskKilled], agent.Updates.Where(u => u.TaskId.Value == "a").Select(u => u.State));
        var failed = agent.Updates.Where(u => u.TaskId.Value == "b").ToList();
        Assert.Equal([TaskState.TaskRunning, TaskState.TaskFailed], failed.Select(u => u.State));
        Assert.Equal("Command exited with status 3", failed[1].Message);
        Assert.Equal([TaskState.TaskRunning, TaskState.TaskKilled], agent.Updates.Where(u => u.TaskId.Value == "c").Select(u => u.State));
        Assert.Empty(agent.Unacknowledged);
    }

    [Fact]
    public async Task LowLevelExecutor_WithoutCheckpointing_ExitsOneWhenTheAgentGoesAway()
    {
        await using var agent = await FakeAgent.StartAsync(new FakeAgentOptions { Checkpoint = false }).Bounded();
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = LowLevelExecutor }).Bounded();
        await agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" } }).Bounded();
        await agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await agent.BeginOutageAsync(AgentOutage.Refuse).Bounded();

        Assert.Equal(1, await process.WaitForExitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task StartedLikeTheAgentDoes_Subscribes_RunsATask_AndExitsZero()
    {
        await using var agent = await FakeAgent.StartAsync().Bounded();
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = MinimalExecutor }).Bounded();

        Assert.DoesNotContain("HOME", process.Environment.Keys);
        Assert.All(process.Environment.Keys, k => Assert.True(k.StartsWith("MESOS_", StringComparison.Ordinal) || k.StartsWith("LIBPROCESS_", StringComparison.Ordinal) || k == "PATH", k));
        Assert.Equal(process.SandboxDirectory, process.Environment["MESOS_SANDBOX"]);
        Assert.True(process.TimeToSubscribe > TimeSpan.Zero);

        await agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" }, Data = Google.Protobuf.ByteString.CopyFromUtf8("exit:0") }).Bounded();

        Assert.Equal(0, await process.WaitForExitAsync(TestTimeouts.Default));
        Assert.Equal(
            [TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished],
            agent.Updates.Where(u => u.TaskId.Value == "t-1").Select(u => u.State));
    }

    [Fact]
    public async Task WithoutCheckpointing_ExitsNonZeroWhenTheAgentGoesAway()
    {
        await using var agent = await FakeAgent.StartAsync(new FakeAgentOptions { Checkpoint = false }).Bounded();
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = MinimalExecutor }).Bounded();
        await agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" } }).Bounded();
        await agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await agent.BeginOutageAsync(AgentOutage.Refuse).Bounded();

        Assert.Equal(1, await process.WaitForExitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Shutdown_WithATokenRequired_ExitsZeroAfterTheTerminalUpdate()
    {
        await using var agent = await FakeAgent.StartAsync(new FakeAgentOptions { RequiredToken = "s3cret" }).Bounded();
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = MinimalExecutor }).Bounded();
        await agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" } }).Bounded();
        await agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await agent.ShutdownAsync().Bounded();

        Assert.Equal(0, await process.WaitForExitAsync(TestTimeouts.Default));
        await agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        Assert.All(agent.Calls, c => Assert.Equal("Bearer s3cret", c.Authorization));
        Assert.DoesNotContain("s3cret", process.ReadStderr() + process.ReadStdout(), StringComparison.Ordinal);
    }
}
