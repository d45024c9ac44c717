using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite;

/// <summary>Configuration of a <see cref="ZooKeeperMasterDetector"/>.</summary>
public sealed record ZooKeeperMasterDetectorOptions
{
    /// <summary>The masters' ZooKeeper group, as given to <c>mesos-master --zk</c>: <c>zk://host1:2181,host2:2181/mesos</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The scheme of the leader's URL: <c>http</c>, or <c>https</c> for masters serving TLS.</summary>
    public string Scheme { get; init; } = Uri.UriSchemeHttp;

    /// <summary>
    /// How long <see cref="ZooKeeperMasterDetector.DetectLeaderAsync"/> waits for a leader when none is known yet (first
    /// ZooKeeper session, or no master registered) before answering "unknown", so the configured masters get their turn.
    /// </summary>
    public TimeSpan LeaderWaitTimeout { get; init; } = Defaults.LeaderWaitTimeout;

    /// <summary>The ZooKeeper session timeout to ask for.</summary>
    public TimeSpan SessionTimeout { get; init; } = Defaults.ZooKeeperSessionTimeout;

    /// <summary>How long a connection attempt to the ZooKeeper servers may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = Defaults.ZooKeeperConnectTimeout;

    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Url, nameof(Url));
        Mesos.ZooKeeper.Detection.ZooKeeperUrl.Parse(Url);
        if (Scheme != Uri.UriSchemeHttp && Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"ZooKeeperMasterDetectorOptions.Scheme is '{Scheme}'; use http or https", nameof(Scheme));
        }

        if (LeaderWaitTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaderWaitTimeout), LeaderWaitTimeout, "ZooKeeperMasterDetectorOptions.LeaderWaitTimeout must not be negative");
        }
    }
}
