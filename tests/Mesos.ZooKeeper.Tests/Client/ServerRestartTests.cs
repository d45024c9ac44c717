using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Client;

public sealed class ServerRestartTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    [ZooKeeperFact(NeedsLocalServer = true)]
    public async Task ServerRestart_DuringSession_ClientReconnectsWithSameSessionAndWatches()
    {
        var server = Own(await ZooKeeperTestServer.StartDedicatedAsync().Within(TimeSpan.FromSeconds(90)));
        try
        {
            await RestartDuringSessionAsync(server);
        }
        finally
        {
            Output.WriteLine("--- server log ---\n" + server.LogTail());
        }
    }

    private async Task RestartDuringSessionAsync(DedicatedServer server)
    {
        var states = new SessionStateRecorder();
        var zk = await ConnectAsync(server.ConnectString, o => o with
        {
            SessionTimeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(60),
            OnSessionStateChanged = states.Callback,
        });
        await zk.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        await zk.CreateAsync("/watched", "before"u8.ToArray()).Within();
        var watch = new WatchProbe();
        await zk.GetDataAsync("/watched", watch.Watcher).Within();
        var sessionId = zk.Session.Id;

        await server.StopAsync().Within(TimeSpan.FromSeconds(60));
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected);
        await server.StartAsync().Within(TimeSpan.FromSeconds(90));
        await states.WaitForAsync(ZooKeeperSessionState.Connected, TimeSpan.FromSeconds(60));
        var other = await ConnectAsync(server.ConnectString);
        await other.SetDataAsync("/watched", "after"u8.ToArray()).Within();

        Assert.Equal(sessionId, zk.Session.Id);
        Assert.Equal(sessionId, (await zk.ExistsAsync("/eph").Within())!.EphemeralOwner);
        Assert.Equal(new ZooKeeperWatchEvent(ZooKeeperWatchEventType.NodeDataChanged, "/watched"), await watch.Fired);
        Assert.False(watch.Calls > 1);
    }
}
