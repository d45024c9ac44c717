using System.Net;
using System.Net.Sockets;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Client;

public sealed class FailoverTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    [ZooKeeperFact]
    public async Task Connect_FirstServerDead_UsesTheNextOne()
    {
        var dead = DeadAddress();
        var states = new SessionStateRecorder();

        var zk = await ConnectAsync($"{dead},{ZooKeeperTestServer.ConnectString}", o => o with { OnSessionStateChanged = states.Callback });
        var connected = await states.WaitForAsync(ZooKeeperSessionState.Connected);

        Assert.Equal(ZooKeeperTestServer.ConnectString, connected.Server!.ToString());
        Assert.NotNull(await zk.ExistsAsync("/").Within());
    }

    [ZooKeeperFact]
    public async Task ServerLostDuringSession_FailsOverToNextServerWithSameSession()
    {
        await EnsureRootAsync();
        var first = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        var second = Own(new TcpProxy(ZooKeeperTestServer.ConnectString));
        var states = new SessionStateRecorder();
        var zk = await ConnectAsync($"{first.Address},{second.Address}{Root}", o => o with { OnSessionStateChanged = states.Callback });
        Assert.Equal(first.Address, (await states.WaitForAsync(ZooKeeperSessionState.Connected)).Server!.ToString());
        await zk.CreateAsync("/eph", ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Ephemeral).Within();
        var sessionId = zk.Session.Id;

        first.Block();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected);
        var reconnected = await states.WaitForAsync(ZooKeeperSessionState.Connected);

        Assert.Equal(second.Address, reconnected.Server!.ToString());
        Assert.Equal(sessionId, reconnected.SessionId);
        Assert.Equal(sessionId, (await zk.ExistsAsync("/eph").Within())!.EphemeralOwner);
    }

    [ZooKeeperFact]
    public async Task Connect_NoServerReachable_FailsWithConnectionLossAfterConnectTimeout()
    {
        var options = new ZooKeeperClientOptions { ConnectString = DeadAddress(), ConnectTimeout = TimeSpan.FromSeconds(1) };

        var exception = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(options, LoggerFactory).Within());

        Assert.Equal(ZooKeeperErrorCode.ConnectionLoss, exception.Code);
        Assert.Contains("ConnectTimeout", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ServerSendsHostileLengthPrefix_FailsWithProtocolErrorNotAllocation()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var hostile = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    // Answer the handshake with a frame "of" 2 GiB, then nothing.
                    await client.GetStream().WriteAsync(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 }, stop.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
            {
                // Stopped, or the client hung up first.
            }
        });
        var options = new ZooKeeperClientOptions
        {
            ConnectString = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

        var exception = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(options, LoggerFactory).Within());
        await stop.CancelAsync();

        var protocolError = Assert.IsType<ZooKeeperProtocolException>(exception.InnerException);
        Assert.Contains("exceeds the maximum of 4194304 bytes", protocolError.Message, StringComparison.Ordinal);
        await hostile.Within();
    }

    /// <summary>An address nothing listens on: a port the OS just handed out and took back.</summary>
    private static string DeadAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }
}
