using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>Leader changes, masters without leader, dropped streams, missed heartbeats, the reconnect budget.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task NonLeader_Redirects307_AndTheClientSubscribesToTheLeader_AndCallsGoThere()
    {
        await using var leader = await FakeMaster.StartAsync();
        await using var follower = await FakeMaster.StartAsync();
        follower.IsLeader = false;
        follower.LeaderAddress = leader.BaseAddress;
        leader.AddAgent();
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(leader, new Dictionary<string, TaskSpec> { ["a"] = Sleep(1) }) with
        {
            Client = ClientOptions(leader) with { Masters = [follower.BaseAddress] },
        });
        await using var run = Start(scheduler.RunAsync);

        await leader.WaitUntilAsync(_ => scheduler.GetRunningTasks().Count == 1, WaitLimit, "a running task via the leader");

        Assert.Equal(307, follower.Calls.Single().Status);
        Assert.Equal(leader.Endpoint, scheduler.Client!.Master);
        Assert.Single(leader.AcceptedCalls(Call.Types.Type.Accept));
    }

    [Fact]
    public async Task MasterWithoutLeader_Answers503_AndTheClientTriesTheNextMaster()
    {
        await using var noLeader = await FakeMaster.StartAsync();
        noLeader.IsLeader = false;
        await using var leader = await FakeMaster.StartAsync();
        var log = new EventLog();
        await using var client = new SchedulerClient(ClientOptions(leader) with { Masters = [noLeader.BaseAddress, leader.BaseAddress] });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));

        await log.WaitForAsync<SubscribedEvent>();

        var refused = noLeader.Calls.Single();
        Assert.Equal(503, refused.Status);
        Assert.Equal("No leader elected", refused.Body);
        Assert.Equal(leader.Endpoint, client.Master);
    }

    [Fact]
    public async Task StreamDrop_ResubscribesWithTheSameFrameworkId_Reconciles_AndLaunchesNothingTwice()
    {
        await using var master = await FakeMaster.StartAsync();
        master.AddAgent();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new FrameworkScheduler(SchedulerOptions(master, new Dictionary<string, TaskSpec> { ["db"] = Sleep(2) }) with
        {
            OnEvent = ev =>
            {
                if (ev is ReconnectedEvent)
                {
                    reconnected.TrySetResult();
                }

                return ValueTask.CompletedTask;
            },
        });
        await using var run = Start(scheduler.RunAsync);
        await master.WaitUntilAsync(_ => scheduler.GetRunningTasks().Count == 2, WaitLimit, "two running");
        var frameworkId = master.Frameworks.Single().Id;

        master.DropStreams(abort: true);
        await reconnected.Task.WaitAsync(WaitLimit);
        var reconcile = await master.WaitForCallAsync(Call.Types.Type.Reconcile, c => c.Reconcile.Tasks.Count == 2, WaitLimit);
        await master.WaitUntilAsync(_ => scheduler.Client!.TasksAwaitingReconciliation.Count == 0, WaitLimit, "every task answered reconciliation");
        master.Allocate();
        await master.WaitForCallAsync(Call.Types.Type.Suppress, c => master.SubscribeCount == 2, WaitLimit);

        Assert.Equal(2, master.SubscribeCount);
        var subscribes = master.Calls.Where(c => c.Call?.Type == Call.Types.Type.Subscribe).ToArray();
        Assert.Equal(frameworkId, subscribes[1].Call!.FrameworkId.Value);
        Assert.Equal(frameworkId, subscribes[1].Call!.Subscribe.FrameworkInfo.Id.Value);
        Assert.Single(master.AcceptedCalls(Call.Types.Type.Accept));
        Assert.Equal(2, master.Tasks.Count);
        Assert.Equal(scheduler.GetTasks().Select(t => t.TaskId).Order(), reconcile.Reconcile.Tasks.Select(t => t.TaskId.Value).Order());
    }

    [Fact]
    public async Task ExplicitReconciliation_IsRetried_UntilEveryTaskAnswered()
    {
        // A master that accepts RECONCILE but answers nothing: the client must send it again.
        var reconciles = 0;
        var subscribed = """{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"fw"},"heartbeat_interval_seconds":15}}""";
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (body.Contains("SUBSCRIBE", StringComparison.Ordinal) && !context.Request.Headers.ContainsKey("Mesos-Stream-Id"))
            {
                context.Response.Headers["Mesos-Stream-Id"] = "s";
                await context.Response.WriteAsync($"{System.Text.Encoding.UTF8.GetByteCount(subscribed)}\n{subscribed}");
                await context.Response.Body.FlushAsync();
                await Task.Delay(WaitLimit, context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            if (body.Contains("RECONCILE", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref reconciles);
            }

            context.Response.StatusCode = 202;
        });
        var time = new ManualTimeProvider();
        await using var client = new SchedulerClient(new SchedulerClientOptions
        {
            Masters = [server.BaseAddress],
            TimeProvider = time,
            Reconciliation = new ReconciliationOptions { RetryMinimum = TimeSpan.FromSeconds(2), ImplicitInterval = null },
        });
        client.TrackTasks([(new V1.TaskID { Value = "t1" }, new AgentID { Value = "a1" })]);
        var log = new EventLog();
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));
        await log.WaitForAsync<SubscribedEvent>();

        await WaitAsync(() => Volatile.Read(ref reconciles) >= 1);
        // Each retry waits on the manual clock: move it on until the client has sent RECONCILE twice more.
        await WaitAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return Volatile.Read(ref reconciles) >= 3;
        });

        Assert.True(Volatile.Read(ref reconciles) >= 3, $"RECONCILE sent {reconciles} time(s)");
        Assert.Equal(["t1"], client.TasksAwaitingReconciliation);
    }

    [Fact]
    public async Task MissedHeartbeats_CountAsADeadConnection_AndTheClientResubscribes()
    {
        var subscribes = 0;
        var subscribed = """{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"fw-1"},"heartbeat_interval_seconds":15}}""";
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref subscribes);
            context.Response.Headers["Mesos-Stream-Id"] = "s";
            await context.Response.WriteAsync($"{System.Text.Encoding.UTF8.GetByteCount(subscribed)}\n{subscribed}");
            await context.Response.Body.FlushAsync();
            // Then silence: no heartbeats.
            await Task.Delay(WaitLimit, context.RequestAborted).ContinueWith(_ => { });
        });
        var time = new ManualTimeProvider();
        var log = new EventLog();
        await using var client = new SchedulerClient(new SchedulerClientOptions { Masters = [server.BaseAddress], TimeProvider = time, Reconciliation = new() { ImplicitInterval = null } });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));
        await log.WaitForAsync<SubscribedEvent>();

        // 4 missed heartbeats: still alive.
        time.Advance(TimeSpan.FromSeconds(15 * 4));
        Assert.True(client.IsSubscribed);

        // The fifth: dead; reconnect after the backoff (at most 1 s for the first attempt).
        time.Advance(TimeSpan.FromSeconds(15) + TimeSpan.FromMilliseconds(1));
        var disconnected = await log.WaitForAsync<DisconnectedEvent>();
        await WaitAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            return Volatile.Read(ref subscribes) == 2;
        });
        var reconnected = await log.WaitForAsync<ReconnectedEvent>();

        Assert.Contains("missed heartbeats", disconnected.Reason, StringComparison.Ordinal);
        Assert.Equal("fw-1", reconnected.FrameworkId.Value);
    }

    [Fact]
    public async Task MaxReconnect_Spent_RunAsyncThrows_AndNothingExits()
    {
        await using var master = await FakeMaster.StartAsync();
        master.IsLeader = false;
        await using var client = new SchedulerClient(ClientOptions(master) with { MaxReconnect = 2 });

        var ex = await Assert.ThrowsAsync<SchedulerConnectionException>(() => client.RunAsync((_, _) => ValueTask.CompletedTask).WaitAsync(WaitLimit));

        Assert.False(ex.WasEverSubscribed);
        Assert.Equal(3, master.Calls.Count);
        Assert.Contains("No leader elected", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1000, 500, 1000)]
    [InlineData(2, 1500, 750, 1500)]
    [InlineData(3, 2250, 1125, 2250)]
    [InlineData(20, 15000, 7500, 15000)]
    public void Backoff_GrowsByTheFactor_IsJittered_AndCapped(int attempt, double ceilingMs, double lowestMs, double highestMs)
    {
        var backoff = BackoffOptions.Default;

        var low = backoff.DelayFor(attempt, 0);
        var high = backoff.DelayFor(attempt, 0.999999);

        Assert.Equal(lowestMs, low.TotalMilliseconds, 1);
        Assert.InRange(high.TotalMilliseconds, lowestMs, highestMs);
        Assert.Equal(ceilingMs, highestMs);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(WaitLimit);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
