using Mesos.Scheduler.Lite.Seeds.MesosHttp;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

public sealed class StateAndSeedTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sched-lite-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task FileStateStore_RoundTrips_AndSurvivesANewInstance()
    {
        var path = Path.Combine(_dir, "state.json");
        var store = new FileStateStore(path);
        await store.SaveFrameworkIdAsync("fw-1");
        await store.SaveTaskAsync(new StoredTask { TaskId = "a-1.x", SpecName = "a", Serial = 1, AgentId = "s1", State = "TASK_RUNNING", Ports = [31000] });
        await store.SaveTaskAsync(new StoredTask { TaskId = "a-2.y", SpecName = "a", Serial = 2 });
        await store.RemoveTaskAsync("a-2.y");

        var loaded = await new FileStateStore(path).LoadAsync();

        Assert.Equal("fw-1", loaded.FrameworkId);
        var task = Assert.Single(loaded.Tasks);
        Assert.Equal("a-1.x", task.TaskId);
        Assert.Equal([31000UL], task.Ports);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task RestartedScheduler_ResubscribesAsTheStoredFramework_AndLaunchesNothingTwice()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        var store = new FileStateStore(Path.Combine(_dir, "state.json"));
        var tasks = new Dictionary<string, TaskSpec> { ["api"] = Sleep(2) };
        await using (var first = new FrameworkScheduler(SchedulerOptions(master, tasks) with { StateStore = store }))
        {
            await using var run = Start(first.RunAsync);
            await master.WaitUntilAsync(_ => first.GetRunningTasks().Count == 2, WaitLimit, "two running");
        }

        var frameworkId = master.Frameworks.Single().Id;
        await using var second = new FrameworkScheduler(SchedulerOptions(master, tasks) with { StateStore = new FileStateStore(Path.Combine(_dir, "state.json")) });
        await using var run2 = Start(second.RunAsync);
        await master.WaitUntilAsync(m => m.SubscribeCount == 2 && second.GetRunningTasks().Count == 2, WaitLimit, "the restarted scheduler to see both tasks running");
        master.Allocate();
        await master.WaitForCallAsync(Call.Types.Type.Suppress, _ => master.SubscribeCount == 2 && second.IsSuppressed, WaitLimit);

        Assert.Equal(frameworkId, master.Calls.Last(c => c.Call?.Type == Call.Types.Type.Subscribe).Call!.FrameworkId.Value);
        Assert.Single(master.AcceptedCalls(Call.Types.Type.Accept));
        Assert.Equal(2, master.Tasks.Count);
    }

    [Fact]
    public async Task MesosHttpShim_RegistersAcceptsAcksAndReportsDisconnects()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        await using var client = new MesosClient([master.BaseAddress.ToString()], frameworkName: "shim", frameworkUser: "nobody", maxReconnect: 5)
        {
            ClientOptions = ClientOptions(master),
        };
        client.SetCheckpoint(false);
        client.AddCapability("GPU_RESOURCES");
        var subscribed = new TaskCompletionSource<SubscribedInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = 0;
        client.On(MesosClient.Subscribed, o =>
        {
            subscribed.TrySetResult((SubscribedInfo)o);
            return ValueTask.CompletedTask;
        });
        client.On(MesosClient.Offers, async o =>
        {
            foreach (var offer in (IReadOnlyList<Offer>)o)
            {
                if (Interlocked.Increment(ref accepted) == 1)
                {
                    var task = new V1.TaskInfo
                    {
                        Name = "shim-task",
                        TaskId = new V1.TaskID { Value = "shim-1" },
                        AgentId = offer.Value.AgentId,
                        Command = new V1.CommandInfo { Value = "sleep 1" },
                    };
                    task.Resources.Add(offer.Value.Resources.Single(r => r.Name == "cpus").Clone() is var cpus ? Set(cpus, 1) : null);
                    await offer.AcceptAsync([task]);
                }
                else
                {
                    await offer.DeclineAsync();
                }
            }
        });
        client.On(MesosClient.UpdateEventName, async o =>
        {
            var update = (Update)o;
            await update.AckAsync();
            if (update.Status.State == TaskState.TaskRunning)
            {
                acked.TrySetResult();
            }
        });
        client.On(MesosClient.Disconnected, _ =>
        {
            disconnected.TrySetResult();
            return ValueTask.CompletedTask;
        });
        client.On(MesosClient.Reconnected, _ =>
        {
            reconnected.TrySetResult();
            return ValueTask.CompletedTask;
        });
        using var cts = new CancellationTokenSource(WaitLimit);
        var register = client.RegisterAsync(cts.Token);

        var info = await subscribed.Task.WaitAsync(WaitLimit);
        await acked.Task.WaitAsync(WaitLimit);
        Assert.NotNull(client.GetMasterInfo());
        Assert.Equal(info.FrameworkId, client.GetDriver()!.FrameworkId);
        master.DropStreams();
        await disconnected.Task.WaitAsync(WaitLimit);
        await reconnected.Task.WaitAsync(WaitLimit);
        await client.DisconnectFrameworkAsync().WaitAsync(WaitLimit);

        Assert.True(await register.WaitAsync(WaitLimit));
        Assert.Equal(2, master.AcceptedCalls(Call.Types.Type.Acknowledge).Count);
        var framework = master.Frameworks.Single();
        Assert.False(framework.Info.Checkpoint);
        Assert.Contains(framework.Info.Capabilities, c => c.Type == V1.FrameworkInfo.Types.Capability.Types.Type.GpuResources);
        Assert.Equal("shim", framework.Info.Name);
        Assert.Equal(TaskState.TaskRunning, master.Tasks.Single().State);
    }

    [Fact]
    public async Task MesosFrameworkShim_EmitsReadySubscribedSentAndTaskEvents()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        var options = new Seeds.MesosFramework.SchedulerOptions
        {
            MasterUrl = master.BaseAddress.ToString(),
            FrameworkName = "mf",
            User = "nobody",
            ExponentialBackoffMinimum = TimeSpan.FromMilliseconds(20),
            ExponentialBackoffMaximum = TimeSpan.FromMilliseconds(50),
            Tasks = new Dictionary<string, TaskSpec> { ["sleepProcesses"] = Sleep(2) with { Priority = 1 } },
        };
        await using var scheduler = new Seeds.MesosFramework.Scheduler(options);
        var seen = new List<string>();
        var launched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var launches = 0;
        foreach (var name in new[] { "ready", "subscribed", "offers", "update", "sent_accept", "sent_suppress", "sent_supress", "sent_revive", "sent_acknowledge", "updated_task" })
        {
            scheduler.On(name, _ =>
            {
                lock (seen)
                {
                    seen.Add(name);
                }

                return ValueTask.CompletedTask;
            });
        }

        scheduler.On("task_launched", _ =>
        {
            if (Interlocked.Increment(ref launches) == 2)
            {
                launched.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });
        await using var run = Start(scheduler.SubscribeAsync);

        await launched.Task.WaitAsync(WaitLimit);
        await master.WaitForCallAsync(Call.Types.Type.Suppress, timeout: WaitLimit);
        await master.WaitUntilAsync(_ =>
        {
            lock (seen)
            {
                return seen.Contains("sent_supress");
            }
        }, WaitLimit, "sent_supress");

        Assert.Equal(2, scheduler.GetRunningTasks().Count);
        Assert.Equal("sent_acknowledge_operation_status", Seeds.MesosFramework.Scheduler.SentEventName(Call.Types.Type.AcknowledgeOperationStatus));
        lock (seen)
        {
            Assert.Equal("ready", seen[0]);
            Assert.Contains("subscribed", seen);
            Assert.Contains("sent_accept", seen);
            Assert.Contains("sent_acknowledge", seen);
            Assert.Contains("updated_task", seen);
            Assert.Contains("sent_suppress", seen);
        }
    }

    private static V1.Resource Set(V1.Resource resource, double value)
    {
        resource.Scalar = new V1.Value.Types.Scalar { Value = value };
        return resource;
    }
}
