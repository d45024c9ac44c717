using System.Net.Security;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;

namespace Mesos.Protocol.Http;

/// <summary>How to reach one Mesos v1 HTTP API endpoint (an agent's <c>/api/v1/executor</c> or a master's <c>/api/v1/scheduler</c>).</summary>
public sealed record MesosHttpOptions
{
    /// <summary>The API URL, e.g. <c>http://10.0.0.5:5051/api/v1/executor</c>. With <see cref="UnixSocketPath"/> only its path matters.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Content-Type of calls and Accept of events.</summary>
    public MesosEncoding Encoding { get; init; } = MesosEncoding.Json;

    /// <summary>Talk HTTP over this Unix domain socket instead of TCP (the agent's <c>MESOS_DOMAIN_SOCKET</c>).</summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>
    /// The <c>Authorization</c> header value for each request (<see cref="MesosAuthorization"/> builds the usual ones),
    /// asked anew per request so tokens can be refreshed; null sends none.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? Authorization { get; init; }

    /// <summary>Bound on a non-streaming call, from sending to the whole answer. The event stream has no overall bound.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bound on a SUBSCRIBE's answer headers (an agent or master answers at once; the stream itself is unbounded).
    /// Without it, a connection accepted by a peer that is going down could wait forever and never be retried.
    /// </summary>
    public TimeSpan SubscribeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on opening a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most connections open at once for calls (the event stream has its own). Further calls wait for a free
    /// connection, within their <see cref="CallTimeout"/>. Without a bound, a burst (an executor starting 500 tasks
    /// sends 1,000 updates in two seconds) opened one connection per call in flight: hundreds of sockets on both
    /// sides, each with its buffers, kept open until idle. Mesos' own drivers use a single connection for calls.
    /// </summary>
    public int MaxCallConnections { get; init; } = 4;

    /// <summary>Framing limits of the event stream.</summary>
    public RecordIOOptions RecordIO { get; init; } = RecordIOOptions.Default;

    /// <summary>TLS server certificate check for https endpoints; null uses the system's trust store (verification on).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint, nameof(Endpoint));
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"MesosHttpOptions.Endpoint must be an absolute http or https URL, got '{Endpoint}'", nameof(Endpoint));
        }

        if (CallTimeout <= TimeSpan.Zero && CallTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "MesosHttpOptions.CallTimeout must be positive");
        }

        if (SubscribeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SubscribeTimeout), SubscribeTimeout, "MesosHttpOptions.SubscribeTimeout must be positive");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "MesosHttpOptions.ConnectTimeout must be positive");
        }

        if (MaxCallConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCallConnections), MaxCallConnections, "MesosHttpOptions.MaxCallConnections must be at least 1");
        }

        ArgumentNullException.ThrowIfNull(RecordIO, nameof(RecordIO));
        RecordIO.Validate();
    }
}
