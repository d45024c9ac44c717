using System.Text;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

public sealed class ZooKeeperStateStoreTests(ITestOutputHelper output) : ZooKeeperScenario(output)
{
    private const string StatePath = "/dcos-service-web";

    [ZooKeeperFact]
    public async Task Store_KeepsTheSeedsLayoutInPersistentNodes_AndDeletesRemovedTasks()
    {
        await EnsureRootAsync();
        await using (var store = ZooKeeperStateStore.ForFramework(ZkUrl, "/dcos-service-", "web", LoggerFactory))
        {
            await store.SaveFrameworkIdAsync("fw-1").AsTask().Within();
            await store.SaveTaskAsync(new StoredTask { TaskId = "api-1.a", SpecName = "api", Serial = 1, AgentId = "s1", State = "TASK_STAGING", Ports = [31000] }).AsTask().Within();
            await store.SaveTaskAsync(new StoredTask { TaskId = "api-2.b", SpecName = "api", Serial = 2 }).AsTask().Within();
            await store.SaveTaskAsync(new StoredTask { TaskId = "api-1.a", SpecName = "api", Serial = 1, AgentId = "s1", State = "TASK_RUNNING", Ports = [31000] }).AsTask().Within();
            await store.RemoveTaskAsync("api-2.b").AsTask().Within();
        }

        // The store's session is closed: its nodes stay (persistent), which is what a restarted scheduler needs.
        var raw = await ConnectInRootAsync();
        var frameworkId = await raw.GetDataAsync($"{StatePath}/framework-id").Within();
        var task = await raw.GetDataAsync($"{StatePath}/tasks/api-1.a").Within();
        Assert.Equal("fw-1", Encoding.UTF8.GetString(frameworkId.Data.Span));
        Assert.Equal(0, frameworkId.Stat.EphemeralOwner);
        Assert.Equal(["api-1.a"], await raw.GetChildrenAsync($"{StatePath}/tasks").Within());
        Assert.Equal(1, task.Stat.Version); // created, then one versioned update
        Assert.Contains("\"state\":\"TASK_RUNNING\"", Encoding.UTF8.GetString(task.Data.Span), StringComparison.Ordinal);

        await using var reopened = ZooKeeperStateStore.ForFramework(ZkUrl, "/dcos-service-", "web", LoggerFactory);
        var state = await reopened.LoadAsync().Within();
        Assert.Equal("fw-1", state.FrameworkId);
        var loaded = Assert.Single(state.Tasks);
        Assert.Equal(("api-1.a", "api", 1, "s1", "TASK_RUNNING"), (loaded.TaskId, loaded.SpecName, loaded.Serial, loaded.AgentId, loaded.State));
        Assert.Equal([31000UL], loaded.Ports);

        await reopened.SaveFrameworkIdAsync(null).AsTask().Within();
        Assert.Null(await raw.ExistsAsync($"{StatePath}/framework-id").Within());
    }

    [ZooKeeperFact]
    public async Task Store_NodeChangedByAnotherWriter_FailsInsteadOfOverwritingIt()
    {
        await EnsureRootAsync();
        await using var store = ZooKeeperStateStore.ForFramework(ZkUrl, "/dcos-service-", "web", LoggerFactory);
        var task = new StoredTask { TaskId = "api-1.a", SpecName = "api", Serial = 1 };
        await store.SaveTaskAsync(task).AsTask().Within();
        var other = await ConnectInRootAsync();
        await other.SetDataAsync($"{StatePath}/tasks/api-1.a", "{\"task_id\":\"api-1.a\",\"spec_name\":\"other\"}"u8.ToArray()).Within();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveTaskAsync(task with { State = "TASK_RUNNING" }).AsTask().Within());

        Assert.Contains("second instance", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{StatePath}/tasks/api-1.a", error.Message, StringComparison.Ordinal);
    }

    [ZooKeeperFact]
    public async Task Store_SessionEndedFromOutside_WritesOnANewSession()
    {
        await EnsureRootAsync();
        var proxy = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        await using var store = new ZooKeeperStateStore(new ZooKeeperStateStoreOptions
        {
            Connect = proxy.Address + Root,
            Path = StatePath,
            SessionTimeout = TimeSpan.FromSeconds(4),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            LoggerFactory = LoggerFactory,
        });
        await store.SaveTaskAsync(new StoredTask { TaskId = "a", SpecName = "api" }).AsTask().Within();
        var first = store.Session!;

        // Cut the store off, then close its session on the server from another connection: the server forgets it.
        proxy.Block();
        var hijack = await ConnectAsync(ZooKeeperTestServer.ConnectString, o => o with { Session = first });
        await hijack.DisposeAsync().AsTask().Within();
        proxy.Unblock();
        await store.SaveTaskAsync(new StoredTask { TaskId = "b", SpecName = "api" }).AsTask().Within();

        Assert.NotEqual(first.Id, store.Session!.Id);
        var raw = await ConnectInRootAsync();
        Assert.Equal(["a", "b"], (await raw.GetChildrenAsync($"{StatePath}/tasks").Within()).Order(StringComparer.Ordinal));
    }

    [ZooKeeperFact]
    public async Task MesosFrameworkShim_UseZk_RestartedSchedulerResumesAsTheSameFrameworkWithItsTasks()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        await RegisterMasterAsync(master);
        var options = new Seeds.MesosFramework.SchedulerOptions
        {
            MasterUrl = MastersUrl, // the leader from ZooKeeper, too
            UseZk = true,
            ZkUrl = ZkUrl,
            FrameworkName = "web",
            User = "nobody",
            ExponentialBackoffMinimum = TimeSpan.FromMilliseconds(20),
            ExponentialBackoffMaximum = TimeSpan.FromMilliseconds(50),
            Tasks = new Dictionary<string, TaskSpec> { ["api"] = Sleep(2) },
            Logging = LoggerFactory,
        };
        await using (var first = new Seeds.MesosFramework.Scheduler(options))
        {
            await using var run = Start(first.SubscribeAsync);
            await master.WaitUntilAsync(_ => first.GetRunningTasks().Count == 2, WaitLimit, "two running");
        }

        var frameworkId = master.Frameworks.Single().Id;
        var raw = await ConnectInRootAsync();
        Assert.Equal(frameworkId, Encoding.UTF8.GetString((await raw.GetDataAsync($"{StatePath}/framework-id").Within()).Data.Span));
        Assert.Equal(
            master.Tasks.Select(t => t.TaskId).Order(StringComparer.Ordinal),
            (await raw.GetChildrenAsync($"{StatePath}/tasks").Within()).Order(StringComparer.Ordinal));

        await using var second = new Seeds.MesosFramework.Scheduler(options);
        await using var run2 = Start(second.SubscribeAsync);
        await master.WaitUntilAsync(m => m.SubscribeCount == 2 && second.GetRunningTasks().Count == 2, WaitLimit, "the restarted scheduler to see both tasks running");
        master.Allocate();
        await master.WaitForCallAsync(Call.Types.Type.Suppress, _ => master.SubscribeCount == 2 && second.Core.IsSuppressed, WaitLimit);

        Assert.Equal(frameworkId, master.Calls.Last(c => c.Call?.Type == Call.Types.Type.Subscribe).Call!.Subscribe.FrameworkInfo.Id.Value);
        Assert.Single(master.AcceptedCalls(Call.Types.Type.Accept));
        Assert.Equal(2, master.Tasks.Count);
    }

    [Fact]
    public void MesosFrameworkShim_Options_MesosDnsNeedsNoZooKeeper_UseZkPutsStateUnderPrefixAndName()
    {
        var plain = new Seeds.MesosFramework.SchedulerOptions { MasterUrl = "leader.mesos", FrameworkName = "web" }.ToFrameworkSchedulerOptions();
        var zk = new Seeds.MesosFramework.SchedulerOptions { MasterUrl = "leader.mesos", FrameworkName = "web", UseZk = true }.ToFrameworkSchedulerOptions();
        var detected = new Seeds.MesosFramework.SchedulerOptions { MasterUrl = "zk://zk1:2181,zk2:2181/mesos" }.ToFrameworkSchedulerOptions();

        Assert.Equal([new Uri("http://leader.mesos:5050/api/v1/scheduler")], plain.Client.Masters);
        Assert.Null(plain.Client.MasterDetector);
        Assert.IsType<InMemoryStateStore>(plain.StateStore);
        Assert.Equal(StatePath, Assert.IsType<ZooKeeperStateStore>(zk.StateStore).Path);
        Assert.Empty(detected.Client.Masters);
        Assert.IsType<ZooKeeperMasterDetector>(detected.Client.MasterDetector);
    }
}
