using Microsoft.Extensions.Logging;

namespace Mesos.TaskHealth;

/// <summary>Creates the built-in probes.</summary>
public static class HealthProbes
{
    /// <summary>
    /// An HTTP(S) probe. Without <paramref name="httpClient"/> it uses a pooled client shared by every probe
    /// in the process (redirects off, proxy off, infinite client timeout: the policy's timeout applies).
    /// </summary>
    public static IHealthProbe Http(HttpProbeOptions options, HttpClient? httpClient = null) => new HttpProbe(options, httpClient);

    /// <summary>An HTTP GET of <paramref name="url"/> accepting <paramref name="acceptedStatusCodes"/> (Mesos' 200-399 unless given).</summary>
    public static IHealthProbe Http(string url, StatusCodeSet? acceptedStatusCodes = null) =>
        new HttpProbe(new HttpProbeOptions
        {
            Url = new Uri(url, UriKind.Absolute),
            AcceptedStatusCodes = acceptedStatusCodes ?? StatusCodeSet.MesosDefault,
        });

    /// <summary>A TCP connect probe.</summary>
    public static IHealthProbe Tcp(TcpProbeOptions options) => new TcpProbe(options);

    /// <summary>A TCP connect probe of <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static IHealthProbe Tcp(string host, int port) => new TcpProbe(new TcpProbeOptions { Host = host, Port = port });

    /// <summary>A command probe (exit 0 is healthy; killed with its process tree on timeout).</summary>
    public static IHealthProbe Command(CommandProbeOptions options, ILogger? logger = null) => new CommandProbe(options, logger);

    /// <summary>A shell command probe, run by <c>/bin/sh -c</c>.</summary>
    public static IHealthProbe Command(string shellCommand) => new CommandProbe(new CommandProbeOptions { Command = shellCommand });

    /// <summary>A probe from a delegate, for custom checks.</summary>
    public static IHealthProbe FromDelegate(Func<CancellationToken, ValueTask<ProbeResult>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new DelegateProbe(probe);
    }

    private sealed class DelegateProbe(Func<CancellationToken, ValueTask<ProbeResult>> probe) : IHealthProbe
    {
        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default) => probe(cancellationToken);
    }
}
