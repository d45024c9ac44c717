using Mesos.Scheduler.Lite.Seeds.MesosHttp;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

public sealed class ZooKeeperLeaderDetectionTests(ITestOutputHelper output) : ZooKeeperScenario(output)
{
    [ZooKeeperFact]
    public async Task Client_LeadersNodeDisappears_ResubscribesToTheNextMasterAsTheSameFramework()
    {
        await using var first = await FakeMaster.StartAsync();
        await using var second = await FakeMaster.StartAsync();
        var firstSession = await RegisterMasterAsync(first);
        await RegisterMasterAsync(second);
        await using var detector = new ZooKeeperMasterDetector(new ZooKeeperMasterDetectorOptions { Url = MastersUrl, LoggerFactory = LoggerFactory });
        var events = new EventLog();
        // No masters list: the only way to either master is ZooKeeper.
        await using var client = new SchedulerClient(ClientOptions(first) with { Masters = [], MasterDetector = detector, LoggerFactory = LoggerFactory });
        await using var run = Start(ct => client.RunAsync(events.Handle, ct));
        var subscribed = await events.WaitForAsync<SubscribedEvent>();
        Assert.Equal(first.Endpoint, client.Master);

        // The leader's ZooKeeper session ends, so its ephemeral json.info_ node goes; its HTTP stream stays open,
        // so only the detector can tell the client to move.
        await firstSession.DisposeAsync().AsTask().Within();
        var disconnected = await events.WaitForAsync<DisconnectedEvent>();
        var reconnected = await events.WaitForAsync<ReconnectedEvent>();

        Assert.Contains("leading master changed", disconnected.Reason, StringComparison.Ordinal);
        Assert.Equal(second.Endpoint, reconnected.Master);
        Assert.Equal(subscribed.FrameworkId, reconnected.FrameworkId);
        Assert.Equal(1, first.SubscribeCount);
        Assert.Equal(1, second.SubscribeCount);
        var resubscribe = second.Calls.Single(c => c.Call?.Type == Call.Types.Type.Subscribe).Call!;
        Assert.Equal(subscribed.FrameworkId.Value, resubscribe.Subscribe.FrameworkInfo.Id.Value);
        Assert.Equal(new Uri($"http://{second.BaseAddress.Host}:{second.BaseAddress.Port}"), detector.Leader);
    }

    [ZooKeeperFact]
    public async Task MesosHttpShim_ZkUrlInMesosUrls_SubscribesToTheLeaderFoundInZooKeeper()
    {
        await using var master = await FakeMaster.StartAsync();
        await RegisterMasterAsync(master);
        await using var client = new MesosClient([MastersUrl], frameworkName: "zk-shim", frameworkUser: "nobody", maxReconnect: 5)
        {
            // ClientOptions only shortens the backoff here: the shim replaces its Masters with the non-zk:// mesos_urls (none).
            ClientOptions = ClientOptions(master),
            LoggerFactory = LoggerFactory,
        };
        var subscribed = new TaskCompletionSource<SubscribedInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.On(MesosClient.Subscribed, o =>
        {
            subscribed.TrySetResult((SubscribedInfo)o);
            return ValueTask.CompletedTask;
        });
        var registering = client.RegisterAsync();

        var info = await subscribed.Task.WaitAsync(WaitLimit);
        await client.DisconnectFrameworkAsync().WaitAsync(WaitLimit);

        Assert.True(await registering.WaitAsync(WaitLimit));
        Assert.Equal(master.Frameworks.Single().Id, info.FrameworkId);
        Assert.Equal(1, master.SubscribeCount);
    }

    [Fact]
    public void MesosHttpShim_TwoZkUrls_AreRejectedWithTheOneUrlForm()
    {
        var error = Assert.Throws<ArgumentException>(() => new MesosClient(["zk://zk1:2181/mesos", "http://m1:5050", "zk://zk2:2181/mesos"]));

        Assert.Contains("zk://zk1:2181,zk2:2181/mesos", error.Message, StringComparison.Ordinal);
    }
}
