using System.Net;
using System.Net.Sockets;
using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Probes;

public sealed class TcpProbeTests
{
    [Fact]
    public async Task AcceptedConnection_IsHealthy()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await HealthProbes.Tcp("127.0.0.1", port).ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.True(result.IsHealthy, result.ToString());
        using var accepted = await listener.AcceptSocketAsync().Within();
        Assert.NotNull(accepted);
    }

    [Fact]
    public async Task RefusedConnection_IsConnectionRefused()
    {
        var result = await HealthProbes.Tcp("127.0.0.1", Ports.Closed()).ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal(ProbeFailureKind.ConnectionRefused, result.Failure);
    }

    [Fact]
    public async Task HostName_IsResolved()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await HealthProbes.Tcp("localhost", port).ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.True(result.IsHealthy, result.ToString());
    }

    [Theory]
    [InlineData("", 80, "TcpProbeOptions.Host")]
    [InlineData("127.0.0.1", 0, "TcpProbeOptions.Port")]
    [InlineData("127.0.0.1", 70000, "TcpProbeOptions.Port")]
    public void Options_NameTheBadSetting(string host, int port, string setting)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => HealthProbes.Tcp(host, port));

        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }
}
