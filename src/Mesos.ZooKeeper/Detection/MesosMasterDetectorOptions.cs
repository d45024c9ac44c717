namespace Mesos.ZooKeeper.Detection;

/// <summary>Configuration of <see cref="MesosMasterDetector.Start"/>.</summary>
public sealed record MesosMasterDetectorOptions
{
    /// <summary><c>zk://[user:password@]host:port[,host:port...]/path</c>; see <see cref="ZooKeeperUrl"/>.</summary>
    public required string Url { get; init; }

    /// <summary>The ZooKeeper session timeout to ask for.</summary>
    public TimeSpan SessionTimeout { get; init; } = Defaults.SessionTimeout;

    /// <summary>How long a connection attempt (and each read) may wait for a server before it is retried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = Defaults.ConnectTimeout;

    /// <summary>See <see cref="ZooKeeperClientOptions.MaxFrameSize"/>.</summary>
    public int MaxFrameSize { get; init; } = Defaults.MaxFrameSize;

    /// <summary>
    /// Called, one call at a time, whenever the leading master changes: a first leader is found, another
    /// master takes over, or the last one leaves (<see cref="MesosLeaderChange.Current"/> is then null).
    /// A scheduler re-subscribes to <see cref="MesosLeaderChange.Current"/> here.
    /// </summary>
    public Func<MesosLeaderChange, ValueTask>? OnLeaderChanged { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal ZooKeeperUrl Validate()
    {
        var url = ZooKeeperUrl.Parse(Url);
        ToClientOptions(url).Validate();
        return url;
    }

    internal ZooKeeperClientOptions ToClientOptions(ZooKeeperUrl url) => new()
    {
        ConnectString = url.ConnectString,
        SessionTimeout = SessionTimeout,
        ConnectTimeout = ConnectTimeout,
        MaxFrameSize = MaxFrameSize,
        TimeProvider = TimeProvider,
    };
}

/// <summary>The leading master changed from <paramref name="Previous"/> to <paramref name="Current"/> (either may be null: none).</summary>
public sealed record MesosLeaderChange(MesosMaster? Previous, MesosMaster? Current);
