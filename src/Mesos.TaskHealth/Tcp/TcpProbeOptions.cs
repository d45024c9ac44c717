namespace Mesos.TaskHealth;

/// <summary>A TCP probe: healthy when a connection to <see cref="Host"/>:<see cref="Port"/> is accepted.</summary>
public sealed record TcpProbeOptions
{
    /// <summary>An IP address or host name.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port, 1-65535.</summary>
    public required int Port { get; init; }

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("TcpProbeOptions.Host must name a host or an IP address", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "TcpProbeOptions.Port must be 1-65535");
        }
    }
}
