using System.Text.Json;
using Mesos.Testing.Cluster;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>Shipping our executor: the ExecutorInfo, tasks without CommandInfo, task groups, and the master's verdict.</summary>
public sealed class ExecutorShippingTests
{
    private static readonly ExecutorArtifact Artifact = new()
    {
        Uri = new Uri("http://artifacts.local/mesos-executor"),
        Sha256 = new string('a', 64),
    };

    [Fact]
    public void ExecutorInfo_FetchesTheBinary_ChecksItsSha256_AndExecsIt()
    {
        var info = ExecutorShipping.CreateExecutorInfo(Artifact, "exec-1");

        Assert.Equal(V1.ExecutorInfo.Types.Type.Custom, info.Type);
        var uri = Assert.Single(info.Command.Uris);
        Assert.Equal("http://artifacts.local/mesos-executor", uri.Value);
        Assert.True(uri.Executable);
        Assert.True(uri.Cache);
        Assert.False(uri.Extract);
        Assert.Equal("mesos-executor", uri.OutputFile);
        Assert.Equal(
            $"echo '{new string('a', 64)}  mesos-executor' | sha256sum -c --status - || {{ echo 'mesos-executor does not match its sha256 {new string('a', 64)}' >&2; exit 1; }}; chmod ug+rx 'mesos-executor' && exec './mesos-executor'",
            info.Command.Value);
        Assert.Equal(["cpus", "mem", "disk"], info.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Task_CarriesTheCommandInData_AndNoCommandInfo()
    {
        var info = ExecutorShipping.CreateExecutorInfo(Artifact, "exec-1");

        var task = ExecutorShipping.CreateTask("t", "t-1", new AgentID { Value = "a" }, info, "echo 'hi' && sleep 1", []);

        Assert.Null(task.Command);
        Assert.Equal("echo 'hi' && sleep 1", JsonDocument.Parse(task.Data.ToByteArray()).RootElement.GetProperty("command").GetString());
    }

    [Fact]
    public async Task FakeMaster_AcceptsExecutorTasks_AndGroups_ButRejectsATaskWithBoth()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        var errors = new List<MesosTaskStatus>();
        var executor = ExecutorShipping.CreateExecutorInfo(Artifact, "template");
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec>
        {
            ["shipped"] = new()
            {
                Executor = executor,
                Command = new V1.CommandInfo { Value = "sleep 100" },
                Resources = new ResourceRequirements { Cpus = 0.5, Mem = 64 },
            },
            ["group"] = new()
            {
                Executor = executor,
                Resources = new ResourceRequirements(),
                Group = [new("web", "python3 -m http.server", new() { Cpus = 0.2, Mem = 64 }), new("sidecar", "sleep 100", new() { Cpus = 0.1, Mem = 32 })],
            },
        }));
        await using var run = Start(scheduler.RunAsync);

        await master.WaitUntilAsync(m => m.Tasks.Count(t => t.State == TaskState.TaskRunning) == 3, WaitLimit, "the executor task and both group members running");

        var accept = Assert.Single(master.AcceptedCalls(Call.Types.Type.Accept));
        var launch = accept.Accept.Operations.Single(o => o.Type == V1.Offer.Types.Operation.Types.Type.Launch).Launch.TaskInfos.Single();
        Assert.Null(launch.Command);
        Assert.NotNull(launch.Executor);
        Assert.Equal(launch.TaskId.Value, launch.Executor.ExecutorId.Value);
        var group = accept.Accept.Operations.Single(o => o.Type == V1.Offer.Types.Operation.Types.Type.LaunchGroup).LaunchGroup;
        Assert.All(group.TaskGroup.Tasks, t => Assert.NotNull(t.Command));
        Assert.All(group.TaskGroup.Tasks, t => Assert.Null(t.Executor));
        Assert.Equal(["cpus", "mem", "disk"], group.Executor.Resources.Select(r => r.Name));
        Assert.All(group.Executor.Resources, r => Assert.Equal("*", r.AllocationInfo.Role));

        // The recorded master's verdict on a task with both: TASK_ERROR, REASON_TASK_INVALID.
        // A second framework (the first keeps its subscription) gets the agent's remaining resources.
        var log = new EventLog();
        await using var raw = new SchedulerClient(ClientOptions(master) with { Framework = new FrameworkOptions { Name = "raw", User = "nobody" } });
        await using var rawRun = Start(ct => raw.RunAsync(log.Handle, ct));
        await log.WaitForAsync<SubscribedEvent>();
        var offers = await log.WaitForAsync<OffersEvent>();
        var both = ExecutorShipping.CreateTask("both", "both-1", offers.Offers[0].AgentId, executor, "sleep 1", [FakeMaster.Scalar("cpus", 0.1)]);
        both.Command = new V1.CommandInfo { Value = "sleep 1" };
        await raw.AcceptAsync([offers.Offers[0].Id], [ExecutorShipping.Launch([both])]).WaitAsync(WaitLimit);
        var error = await log.WaitForAsync<UpdateEvent>(u => u.Status.TaskId.Value == "both-1");

        Assert.Equal(TaskState.TaskError, error.Status.State);
        Assert.Equal(MesosTaskStatus.Types.Reason.TaskInvalid, error.Status.Reason);
        Assert.Equal("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present", error.Status.Message);
    }

    [Fact]
    public async Task EndToEnd_RealExecutor_FetchedByHttpWithItsSha256_TaskFinishedAtTheScheduler()
    {
        // scheduler -> fake master -> fake agent -> published executor (fetched over HTTP, sha256 checked) -> process.
        var executorPath = await PublishedExecutorCache.GetAsync().WaitAsync(TimeSpan.FromMinutes(11));
        await using var artifacts = await ArtifactServer.StartAsync(new Dictionary<string, string> { ["mesos-executor"] = executorPath });
        await using var cluster = await LocalCluster.StartAsync();
        var artifact = new ExecutorArtifact
        {
            Uri = artifacts.UriOf("mesos-executor"),
            Sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(executorPath))),
        };
        var finished = new TaskCompletionSource<MesosTaskStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = SchedulerOptions(cluster.Master, new Dictionary<string, TaskSpec>
        {
            ["hello"] = new()
            {
                Executor = ExecutorShipping.CreateExecutorInfo(artifact, "template"),
                Command = new V1.CommandInfo { Value = "echo \"hello from $MESOS_SANDBOX\" > hello.txt" },
                Resources = new ResourceRequirements { Cpus = 0.1, Mem = 32 },
            },
        }) with
        {
            OnTaskUpdated = u =>
            {
                if (TaskStates.IsTerminal(u.State))
                {
                    finished.TrySetResult(u.Task.LastStatus!);
                }

                return ValueTask.CompletedTask;
            },
        };
        await using var scheduler = new FrameworkScheduler(options);
        await using var run = Start(scheduler.RunAsync);

        var status = await finished.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TaskState.TaskFinished, status.State);
        Assert.Equal(MesosTaskStatus.Types.Source.Executor, status.Source);
        Assert.Equal(1, artifacts.Downloads);
        var executor = Assert.Single(cluster.Launcher.Executors);
        Assert.Equal("hello from " + executor.Sandbox, (await File.ReadAllTextAsync(Path.Combine(executor.Sandbox, "hello.txt"))).Trim());
    }
}
