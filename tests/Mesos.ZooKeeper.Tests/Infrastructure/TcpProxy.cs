using System.Net;
using System.Net.Sockets;

namespace Mesos.ZooKeeper.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real server, to cut a client off: <see cref="Block"/> drops every
/// proxied connection and refuses new ones (accepts and closes them) until <see cref="Unblock"/>.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _blocked;

    public TcpProxy(string target)
    {
        var colon = target.LastIndexOf(':');
        _targetHost = target[..colon];
        _targetPort = int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public void Block()
    {
        _blocked = true;
        CloseAll();
    }

    public void Unblock() => _blocked = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseAll();
        try
        {
            await _acceptLoop.WaitAsync(TestTimeouts.Default);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private void CloseAll()
    {
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var downstream = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_blocked)
            {
                downstream.Dispose();
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                downstream.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_gate)
            {
                _open.Add(downstream);
                _open.Add(upstream);
            }

            _ = PumpAsync(downstream, upstream);
            _ = PumpAsync(upstream, downstream);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Either side went away.
        }

        from.Dispose();
        to.Dispose();
    }
}
