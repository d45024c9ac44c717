using System.Net;
using System.Net.Sockets;

namespace Mesos.TaskHealth;

/// <summary>Connects and closes, like upstream's <c>mesos-tcp-connect</c>.</summary>
internal sealed class TcpProbe : IHealthProbe
{
    private readonly TcpProbeOptions _options;

    public TcpProbe(TcpProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var target = $"{_options.Host}:{_options.Port}";
        using var socket = IPAddress.TryParse(_options.Host, out var address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address is not null)
            {
                await socket.ConnectAsync(new IPEndPoint(address, _options.Port), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ex.SocketErrorCode == SocketError.ConnectionRefused
                ? ProbeResult.Unhealthy(ProbeFailureKind.ConnectionRefused, $"connection refused by {target}")
                : ProbeResult.Unhealthy(ProbeFailureKind.Network, $"cannot connect to {target}: {ex.Message}");
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer closed first: the connection was still accepted, which is all this probe asks.
        }

        return ProbeResult.Healthy($"connected to {target}");
    }
}
