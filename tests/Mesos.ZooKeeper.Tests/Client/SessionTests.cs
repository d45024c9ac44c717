using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Client;

public sealed class SessionTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    [ZooKeeperFact]
    public async Task Dispose_ClosesSession_AndItsEphemeralNodesDisappear()
    {
        var owner = await ConnectInRootAsync();
        var observer = await ConnectInRootAsync();
        await owner.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        await owner.CreateAsync("/kept", ReadOnlyMemory<byte>.Empty).Within();
        var gone = new WatchProbe();
        var stat = await observer.ExistsAsync("/eph", gone.Watcher).Within();

        await owner.DisposeAsync().AsTask().Within();

        Assert.Equal(owner.Session.Id, stat!.EphemeralOwner);
        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeDeleted, "/eph"), await gone.Fired);
        Assert.Null(await observer.ExistsAsync("/eph").Within());
        Assert.NotNull(await observer.ExistsAsync("/kept").Within());
    }

    [ZooKeeperFact]
    public async Task Session_CanBeResumedByAnotherClientWithIdAndPassword()
    {
        await EnsureRootAsync();
        var proxy = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        var states = new SessionStateRecorder();
        var first = await ConnectAsync(proxy.Address + Root, o => o with { OnSessionStateChanged = states.Callback });
        await first.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        // The first client goes silent (as a crashed process would) without closing its session.
        proxy.Block();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected);

        var second = await ConnectInRootAsync(o => o with { Session = first.Session });

        Assert.Equal(first.Session.Id, second.Session.Id);
        Assert.Equal(first.Session.Id, (await second.ExistsAsync("/eph").Within())!.EphemeralOwner);
    }

    [ZooKeeperFact]
    public async Task Resume_WithWrongPassword_FailsAsExpired()
    {
        var first = await ConnectAsync();
        var forged = first.Session with { Password = new byte[16] };

        await Assert.ThrowsAsync<SessionExpiredException>(
            () => ZooKeeperClient.ConnectAsync(
                new ZooKeeperClientOptions { ConnectString = ZooKeeperTestServer.ConnectString, Session = forged }, LoggerFactory).Within());
    }

    [ZooKeeperFact]
    public async Task ConnectionCut_LongerThanSessionTimeout_SurfacesExpiry()
    {
        await EnsureRootAsync();
        var proxy = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        var states = new SessionStateRecorder();
        var zk = await ConnectAsync(proxy.Address + Root, o => o with
        {
            SessionTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            OnSessionStateChanged = states.Callback,
        });
        var observer = await ConnectInRootAsync();
        await zk.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        var lostWatch = new WatchProbe();
        await zk.GetDataAsync("/eph", lostWatch.Watcher).Within();
        var serverExpired = new WatchProbe();
        await observer.ExistsAsync("/eph", serverExpired.Watcher).Within();

        proxy.Block();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected);
        // The server deletes the session's ephemeral node when it expires the session.
        Assert.Equal(ZooKeeperWatchEventType.NodeDeleted, (await serverExpired.Fired).Type);
        proxy.Unblock();
        var expired = await states.WaitForAsync(ZooKeeperSessionState.Expired);

        Assert.Equal(zk.Session.Id, expired.SessionId);
        Assert.Equal(ZooKeeperSessionState.Expired, zk.State);
        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.SessionExpired, "/eph"), await lostWatch.Fired);
        await Assert.ThrowsAsync<SessionExpiredException>(() => zk.ExistsAsync("/eph").Within());
    }

    [ZooKeeperFact]
    public async Task ConnectionCut_ShorterThanSessionTimeout_ResumesSameSessionAndRestoresWatches()
    {
        await EnsureRootAsync();
        var proxy = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        var states = new SessionStateRecorder();
        var zk = await ConnectAsync(proxy.Address + Root, o => o with
        {
            SessionTimeout = TimeSpan.FromSeconds(20),
            OnSessionStateChanged = states.Callback,
        });
        var other = await ConnectInRootAsync();
        await zk.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        await zk.CreateAsync("/watched", ReadOnlyMemory<byte>.Empty).Within();
        var changedWhileCut = new WatchProbe();
        var changedAfter = new WatchProbe();
        await zk.GetDataAsync("/watched", changedWhileCut.Watcher).Within();
        await zk.ExistsAsync("/created-later", changedAfter.Watcher).Within();
        var sessionId = zk.Session.Id;

        proxy.Block();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected);
        await other.SetDataAsync("/watched", "while cut"u8.ToArray()).Within();
        var pending = zk.ExistsAsync("/eph");
        proxy.Unblock();
        await states.WaitForAsync(ZooKeeperSessionState.Connected);
        await other.CreateAsync("/created-later", ReadOnlyMemory<byte>.Empty).Within();

        Assert.Equal(sessionId, zk.Session.Id);
        Assert.Equal(sessionId, (await pending.Within())!.EphemeralOwner);
        Assert.Equal(ZooKeeperWatchEventType.NodeDataChanged, (await changedWhileCut.Fired).Type);
        Assert.Equal(ZooKeeperWatchEventType.NodeCreated, (await changedAfter.Fired).Type);
    }
}
