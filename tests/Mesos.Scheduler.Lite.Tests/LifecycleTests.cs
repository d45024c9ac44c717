using Mesos.Protocol.Encoding;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>The task manager against the fake master, in both encodings.</summary>
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(MesosEncoding.Json)]
    [InlineData(MesosEncoding.Protobuf)]
    public async Task Scheduler_LaunchesEveryInstance_AcknowledgesUpdates_ThenSuppresses(MesosEncoding encoding)
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent(cpus: 2, mem: 1024);
        var launched = new List<string>();
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["web"] = Sleep(3) }, encoding) with
        {
            OnTaskLaunched = t =>
            {
                lock (launched)
                {
                    launched.Add(t.Name);
                }

                return ValueTask.CompletedTask;
            },
        });
        await using var run = Start(scheduler.RunAsync);

        await master.WaitUntilAsync(m => m.Tasks.Count(t => t.State == TaskState.TaskRunning) == 3, WaitLimit, "3 running tasks");
        await master.WaitForCallAsync(Call.Types.Type.Suppress, timeout: WaitLimit);
        await master.WaitUntilAsync(m => m.Frameworks.Single().UnacknowledgedUpdates == 0, WaitLimit, "every update acknowledged");
        await master.WaitUntilAsync(_ => scheduler.GetRunningTasks().Count == 3, WaitLimit, "the scheduler to see 3 running tasks");

        Assert.Equal(["web-1", "web-2", "web-3"], scheduler.GetRunningTasks().Select(t => t.Name));
        Assert.Equal(["web-1", "web-2", "web-3"], launched.Order());
        var accept = Assert.Single(master.AcceptedCalls(Call.Types.Type.Accept));
        Assert.Equal(3, accept.Accept.Operations.Single().Launch.TaskInfos.Count);
        Assert.Equal(6, master.AcceptedCalls(Call.Types.Type.Acknowledge).Count);
        Assert.All(master.Calls.Where(c => c.Call?.Type != Call.Types.Type.Subscribe), c => Assert.Equal(master.Frameworks.Single().StreamId, c.StreamId));
        Assert.Equal(encoding, master.Calls[0].Encoding);
        var info = master.Frameworks.Single().Info;
        Assert.Equal(604800, info.FailoverTimeout);
        Assert.True(info.Checkpoint);
    }

    [Fact]
    public async Task Scheduler_DeclinesLeftoverOffers_InOneCall_WithALongRefuseFilter()
    {
        await using var master = await FakeMaster.StartAsync(new FakeMasterOptions { AllocationInterval = TimeSpan.FromHours(1) });
        master.AddAgent(cpus: 1);
        master.AddAgent(cpus: 1);
        master.AddAgent(cpus: 1);
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["one"] = Sleep(1) }));
        await using var run = Start(scheduler.RunAsync);
        await master.WaitForCallAsync(Call.Types.Type.Revive, timeout: WaitLimit);

        master.Allocate();

        var decline = await master.WaitForCallAsync(Call.Types.Type.Decline, timeout: WaitLimit);
        Assert.Equal(2, decline.Decline.OfferIds.Count);
        Assert.Equal(3600, decline.Decline.Filters.RefuseSeconds);
        Assert.Single(master.AcceptedCalls(Call.Types.Type.Decline));
        await master.WaitForCallAsync(Call.Types.Type.Suppress, timeout: WaitLimit);
    }

    [Fact]
    public async Task FailedTask_IsRestartedWithBackoff_UntilMaxAttempts()
    {
        var launcher = new SimulatedTaskLauncher { Outcome = _ => [TaskState.TaskRunning, TaskState.TaskFailed] };
        await using var master = await FakeMaster.StartAsync(new FakeMasterOptions { Launcher = launcher });
        master.AddAgent();
        var removed = 0;
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["crash"] = Sleep(1) }) with
        {
            MaxRestartAttempts = 2,
            OnTaskRemoved = _ =>
            {
                Interlocked.Increment(ref removed);
                return ValueTask.CompletedTask;
            },
        });
        await using var run = Start(scheduler.RunAsync);

        await master.WaitUntilAsync(_ => Volatile.Read(ref removed) == 3 && scheduler.PendingCount == 0, WaitLimit, "three launches, then no more");

        var launches = master.AcceptedCalls(Call.Types.Type.Accept).SelectMany(a => a.Accept.Operations).SelectMany(o => o.Launch.TaskInfos).ToArray();
        Assert.Equal(3, launches.Length);
        Assert.All(launches, t => Assert.Equal("crash-1", t.Name));
        Assert.Equal(3, launches.Select(t => t.TaskId.Value).Distinct().Count());
    }

    [Fact]
    public async Task Scale_Up_RevivesAndLaunches_Down_KillsTheHighestSerials()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent(cpus: 8, mem: 8192);
        var spec = Sleep(1) with { AllowScaling = true };
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["svc"] = spec }));
        await using var run = Start(scheduler.RunAsync);
        await master.WaitUntilAsync(_ => scheduler.GetRunningTasks().Count == 1, WaitLimit, "one running");
        await master.WaitForCallAsync(Call.Types.Type.Suppress, timeout: WaitLimit);
        var revivesBefore = master.AcceptedCalls(Call.Types.Type.Revive).Count;

        await scheduler.ScaleAsync("svc", 3).WaitAsync(WaitLimit);
        await master.WaitUntilAsync(_ => scheduler.GetRunningTasks().Count == 3, WaitLimit, "three running");
        Assert.True(master.AcceptedCalls(Call.Types.Type.Revive).Count > revivesBefore);

        await scheduler.ScaleAsync("svc", 1).WaitAsync(WaitLimit);
        await master.WaitUntilAsync(_ => scheduler.GetTasks().Count == 1, WaitLimit, "scaled down to one");
        Assert.Equal("svc-1", scheduler.GetTasks().Single().Name);
        Assert.Equal(2, master.AcceptedCalls(Call.Types.Type.Kill).Count);
        Assert.Equal(0, scheduler.PendingCount);
    }

    [Fact]
    public async Task Scale_OfASpecThatDoesNotAllowIt_Throws()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["fixed"] = Sleep(1) }));

        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.ScaleAsync("fixed", 2));
    }

    [Fact]
    public async Task KillUnknownTasks_KillsATaskTheFrameworkDoesNotKnow()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec>()) with { KillUnknownTasks = true });
        await using var run = Start(scheduler.RunAsync);
        await master.WaitForCallAsync(Call.Types.Type.Suppress, timeout: WaitLimit);
        var frameworkId = master.Frameworks.Single().Id;

        await master.SendStatusAsync(frameworkId, new MesosTaskStatus
        {
            TaskId = new V1.TaskID { Value = "stray" },
            AgentId = new AgentID { Value = "agent-x" },
            State = TaskState.TaskRunning,
        });

        var kill = await master.WaitForCallAsync(Call.Types.Type.Kill, timeout: WaitLimit);
        Assert.Equal("stray", kill.Kill.TaskId.Value);
    }

    [Fact]
    public async Task CustomHandler_ReplacesTheBuiltInBehaviour_AndEventsStayObservable()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        var seen = new List<string>();
        var customOffers = 0;
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["x"] = Sleep(1) }) with
        {
            Handlers = new Dictionary<string, SchedulerEventHandler>
            {
                ["OFFERS"] = async (ev, s, ct) =>
                {
                    Interlocked.Increment(ref customOffers);
                    await s.Client!.DeclineAsync(((OffersEvent)ev).Offers.Select(o => o.Id), SchedulerCalls.Refuse(TimeSpan.FromHours(1)), ct);
                },
            },
            OnEvent = ev =>
            {
                lock (seen)
                {
                    seen.Add(ev.Name);
                }

                return ValueTask.CompletedTask;
            },
        });
        await using var run = Start(scheduler.RunAsync);

        await master.WaitForCallAsync(Call.Types.Type.Decline, timeout: WaitLimit);

        Assert.Empty(master.AcceptedCalls(Call.Types.Type.Accept));
        Assert.True(Volatile.Read(ref customOffers) >= 1);
        lock (seen)
        {
            Assert.Contains("OFFERS", seen);
            Assert.Contains("SUBSCRIBED", seen);
        }
    }
}
