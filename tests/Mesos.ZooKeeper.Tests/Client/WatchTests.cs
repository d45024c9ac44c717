using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Client;

public sealed class WatchTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    [ZooKeeperFact]
    public async Task ExistsWatch_OnMissingNode_FiresNodeCreated()
    {
        var zk = await ConnectInRootAsync();
        var other = await ConnectInRootAsync();
        var probe = new WatchProbe();

        Assert.Null(await zk.ExistsAsync("/later", probe.Watcher).Within());
        await other.CreateAsync("/later", ReadOnlyMemory<byte>.Empty).Within();

        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeCreated, "/later"), await probe.Fired);
    }

    [ZooKeeperFact]
    public async Task DataWatch_FiresOnce_ThenMustBeSetAgain()
    {
        var zk = await ConnectInRootAsync();
        var other = await ConnectInRootAsync();
        await zk.CreateAsync("/n", "0"u8.ToArray()).Within();
        var probe = new WatchProbe();
        await zk.GetDataAsync("/n", probe.Watcher).Within();

        await other.SetDataAsync("/n", "1"u8.ToArray()).Within();
        var first = await probe.Fired;
        // A second change, and a watch set after it, prove the first watch does not fire again: callbacks
        // run in order, so once the later watch has fired, any second call of the first would have happened.
        var later = new WatchProbe();
        await zk.GetDataAsync("/n", later.Watcher).Within();
        await other.SetDataAsync("/n", "2"u8.ToArray()).Within();
        await later.Fired;
        var barrier = new WatchProbe();
        await zk.ExistsAsync("/barrier", barrier.Watcher).Within();
        await other.CreateAsync("/barrier", ReadOnlyMemory<byte>.Empty).Within();
        await barrier.Fired;

        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeDataChanged, "/n"), first);
        Assert.Equal(1, probe.Calls);
        Assert.Equal(1, later.Calls);
    }

    [ZooKeeperFact]
    public async Task ChildWatch_FiresOnNewChild_AndDeletionFiresDataWatch()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/dir", ReadOnlyMemory<byte>.Empty).Within();
        var children = new WatchProbe();
        var data = new WatchProbe();
        await zk.GetChildrenAsync("/dir", children.Watcher).Within();

        await zk.CreateAsync("/dir/kid", ReadOnlyMemory<byte>.Empty).Within();
        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeChildrenChanged, "/dir"), await children.Fired);

        await zk.GetDataAsync("/dir/kid", data.Watcher).Within();
        await zk.DeleteAsync("/dir/kid").Within();
        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeDeleted, "/dir/kid"), await data.Fired);
    }

    [ZooKeeperFact]
    public async Task SameWatcherOnSeveralReads_IsCalledOncePerEvent()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/n", ReadOnlyMemory<byte>.Empty).Within();
        var probe = new WatchProbe();
        await zk.GetDataAsync("/n", probe.Watcher).Within();
        await zk.ExistsAsync("/n", probe.Watcher).Within();
        await zk.GetChildrenAsync("/n", probe.Watcher).Within();

        await zk.DeleteAsync("/n").Within();
        await probe.Fired;
        var barrier = new WatchProbe();
        await zk.ExistsAsync("/barrier", barrier.Watcher).Within();
        await zk.CreateAsync("/barrier", ReadOnlyMemory<byte>.Empty).Within();
        await barrier.Fired;

        Assert.Equal(1, probe.Calls);
    }

    [ZooKeeperFact]
    public async Task ThrowingWatcher_DoesNotBreakTheClient()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/n", ReadOnlyMemory<byte>.Empty).Within();
        await zk.GetDataAsync("/n", _ => throw new InvalidOperationException("watcher bug")).Within();
        var probe = new WatchProbe();
        await zk.ExistsAsync("/n", probe.Watcher).Within();

        await zk.SetDataAsync("/n", "x"u8.ToArray()).Within();

        Assert.Equal(ZooKeeperWatchEventType.NodeDataChanged, (await probe.Fired).Type);
        Assert.NotNull(await zk.ExistsAsync("/n").Within());
    }
}
