using System.Text;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Client;

public sealed class NodeOperationTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    [ZooKeeperFact]
    public async Task Connect_EstablishesSessionWithNegotiatedTimeout()
    {
        var zk = await ConnectAsync(configure: o => o with { SessionTimeout = TimeSpan.FromSeconds(6) });

        Assert.Equal(ZooKeeperSessionState.Connected, zk.State);
        Assert.NotEqual(0, zk.Session.Id);
        Assert.Equal(16, zk.Session.Password.Length);
        Assert.Equal(TimeSpan.FromSeconds(6), zk.SessionTimeout);
    }

    [ZooKeeperFact]
    public async Task CreateGetSetDelete_WithVersions_RoundTrip()
    {
        var zk = await ConnectInRootAsync();

        var path = await zk.CreateAsync("/node", "v0"u8.ToArray()).Within();
        var read = await zk.GetDataAsync("/node").Within();
        var set = await zk.SetDataAsync("/node", "v1"u8.ToArray(), expectedVersion: read.Stat.Version).Within();
        var reread = await zk.GetDataAsync("/node").Within();
        await zk.DeleteAsync("/node", expectedVersion: set.Version).Within();

        Assert.Equal("/node", path);
        Assert.Equal("v0", Encoding.UTF8.GetString(read.Data.Span));
        Assert.Equal(0, read.Stat.Version);
        Assert.Equal(1, set.Version);
        Assert.Equal("v1", Encoding.UTF8.GetString(reread.Data.Span));
        Assert.Equal(reread.Stat, set);
        Assert.Null(await zk.ExistsAsync("/node").Within());
    }

    [ZooKeeperFact]
    public async Task SetData_WithStaleVersion_ThrowsBadVersion()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/node", "a"u8.ToArray()).Within();
        await zk.SetDataAsync("/node", "b"u8.ToArray()).Within();

        var exception = await Assert.ThrowsAsync<BadVersionException>(() => zk.SetDataAsync("/node", "c"u8.ToArray(), expectedVersion: 0).Within());

        Assert.Equal(ZooKeeperErrorCode.BadVersion, exception.Code);
        Assert.Equal("/node", exception.Path);
        Assert.Equal("b", Encoding.UTF8.GetString((await zk.GetDataAsync("/node").Within()).Data.Span));
    }

    [ZooKeeperFact]
    public async Task Delete_WithStaleVersion_ThrowsBadVersionAndKeepsNode()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/node", ReadOnlyMemory<byte>.Empty).Within();
        await zk.SetDataAsync("/node", "x"u8.ToArray()).Within();

        await Assert.ThrowsAsync<BadVersionException>(() => zk.DeleteAsync("/node", expectedVersion: 0).Within());

        Assert.NotNull(await zk.ExistsAsync("/node").Within());
    }

    [ZooKeeperFact]
    public async Task Errors_AreTypedWithTheirCodes()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/parent", ReadOnlyMemory<byte>.Empty).Within();
        await zk.CreateAsync("/parent/child", ReadOnlyMemory<byte>.Empty).Within();
        await zk.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();

        var exists = await Assert.ThrowsAsync<NodeExistsException>(() => zk.CreateAsync("/parent", ReadOnlyMemory<byte>.Empty).Within());
        var noParent = await Assert.ThrowsAsync<NoNodeException>(() => zk.CreateAsync("/missing/child", ReadOnlyMemory<byte>.Empty).Within());
        var noNode = await Assert.ThrowsAsync<NoNodeException>(() => zk.GetDataAsync("/missing").Within());
        var notEmpty = await Assert.ThrowsAsync<NotEmptyException>(() => zk.DeleteAsync("/parent").Within());
        var ephemeralParent = await Assert.ThrowsAsync<NoChildrenForEphemeralsException>(
            () => zk.CreateAsync("/eph/child", ReadOnlyMemory<byte>.Empty).Within());
        await Assert.ThrowsAsync<NoNodeException>(() => zk.GetChildrenAsync("/missing").Within());
        await Assert.ThrowsAsync<NoNodeException>(() => zk.DeleteAsync("/missing").Within());

        Assert.Equal((ZooKeeperErrorCode.NodeExists, "/parent"), (exists.Code, exists.Path));
        Assert.Equal(ZooKeeperErrorCode.NoNode, noParent.Code);
        Assert.Equal("/missing", noNode.Path);
        Assert.Equal(ZooKeeperErrorCode.NotEmpty, notEmpty.Code);
        Assert.Equal(ZooKeeperErrorCode.NoChildrenForEphemerals, ephemeralParent.Code);
    }

    [ZooKeeperFact]
    public async Task Create_Sequential_AppendsIncreasingTenDigitCounters()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/queue", ReadOnlyMemory<byte>.Empty).Within();

        var first = await zk.CreateAsync("/queue/item-", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.PersistentSequential).Within();
        var second = await zk.CreateAsync("/queue/item-", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.EphemeralSequential).Within();
        var third = await zk.CreateAsync("/queue/", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.PersistentSequential).Within();

        Assert.Equal("/queue/item-0000000000", first);
        Assert.Equal("/queue/item-0000000001", second);
        Assert.Equal("/queue/0000000002", third);
        Assert.NotEqual(0, (await zk.ExistsAsync(second).Within())!.EphemeralOwner);
        Assert.Equal(0, (await zk.ExistsAsync(first).Within())!.EphemeralOwner);
    }

    [ZooKeeperFact]
    public async Task GetChildren_ListsNamesAndStatCountsThem()
    {
        var zk = await ConnectInRootAsync();
        await zk.CreateAsync("/dir", ReadOnlyMemory<byte>.Empty).Within();
        foreach (var name in new[] { "b", "a", "c" })
        {
            await zk.CreateAsync("/dir/" + name, ReadOnlyMemory<byte>.Empty).Within();
        }

        var children = await zk.GetChildrenAsync("/dir").Within();
        var stat = await zk.ExistsAsync("/dir").Within();

        Assert.Equal(["a", "b", "c"], children.Order(StringComparer.Ordinal));
        Assert.Equal(3, stat!.NumChildren);
    }

    [ZooKeeperFact]
    public async Task Chroot_ScopesEveryPathAndIsInvisibleToTheClient()
    {
        var chrooted = await ConnectInRootAsync();
        var plain = await ConnectAsync();

        var created = await chrooted.CreateAsync("/inside", "x"u8.ToArray(), ZooKeeperCreateMode.PersistentSequential).Within();
        var rootChildren = await chrooted.GetChildrenAsync("/").Within();
        var seenFromOutside = await plain.GetDataAsync(Root + created).Within();

        Assert.StartsWith("/inside", created, StringComparison.Ordinal);
        Assert.Equal([created[1..]], rootChildren);
        Assert.Equal("x", Encoding.UTF8.GetString(seenFromOutside.Data.Span));
        Assert.Null(await plain.ExistsAsync(created).Within());
    }

    [ZooKeeperFact]
    public async Task Data_UpToAMegabyte_RoundTrips()
    {
        var zk = await ConnectInRootAsync();
        var data = new byte[1_000_000];
        Random.Shared.NextBytes(data);

        await zk.CreateAsync("/big", data).Within();
        var read = await zk.GetDataAsync("/big").Within();

        Assert.True(read.Data.Span.SequenceEqual(data));
    }

    [ZooKeeperFact]
    public async Task Calls_AfterDispose_ThrowObjectDisposed()
    {
        var zk = await ConnectAsync();
        await zk.DisposeAsync();

        Assert.Equal(ZooKeeperSessionState.Closed, zk.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => zk.ExistsAsync("/").Within());
    }
}
