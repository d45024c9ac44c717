namespace Mesos.ZooKeeper;

/// <summary>Configuration of a <see cref="IZooKeeperClient"/>; validated by <see cref="ZooKeeperClient.ConnectAsync"/>.</summary>
public sealed record ZooKeeperClientOptions
{
    /// <summary><c>host:port[,host:port...][/chroot]</c>; see <see cref="ZooKeeperConnectString"/>.</summary>
    public required string ConnectString { get; init; }

    /// <summary>
    /// The session timeout asked of the server (which clamps it to its own minimum and maximum, by
    /// default 2 and 20 ticks). Pings go out every third of the negotiated timeout.
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = Defaults.SessionTimeout;

    /// <summary>
    /// How long <see cref="ZooKeeperClient.ConnectAsync"/> and any call wait for a connection to a server
    /// before failing with <see cref="ConnectionLossException"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = Defaults.ConnectTimeout;

    /// <summary>
    /// The largest frame accepted from a server; a longer length prefix drops the connection. ZooKeeper's
    /// own limit (<c>jute.maxbuffer</c>) is 1 MiB by default; the default here leaves room above it.
    /// </summary>
    public int MaxFrameSize { get; init; } = Defaults.MaxFrameSize;

    /// <summary>An existing session to resume instead of creating a new one.</summary>
    public ZooKeeperSession? Session { get; init; }

    /// <summary>
    /// Called on every session state change, in order, on the client's event loop (the same one that
    /// runs watch callbacks; do not block it). <see cref="ZooKeeperSessionState.Expired"/> is how an
    /// expired session is surfaced besides failing calls.
    /// </summary>
    public Func<ZooKeeperSessionStateChange, ValueTask>? OnSessionStateChanged { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ZooKeeperConnectString.Parse(ConnectString);
        if (SessionTimeout < TimeSpan.FromMilliseconds(100) || SessionTimeout > TimeSpan.FromMilliseconds(int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                nameof(SessionTimeout), SessionTimeout, "ZooKeeperClientOptions.SessionTimeout must be at least 100 ms (servers negotiate 2-20 ticks)");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "ZooKeeperClientOptions.ConnectTimeout must be positive");
        }

        if (MaxFrameSize < 1024)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxFrameSize), MaxFrameSize, "ZooKeeperClientOptions.MaxFrameSize must be at least 1024 bytes (ZooKeeper's jute.maxbuffer is 1 MiB)");
        }

        if (Session is { } session && (session.Id == 0 || session.Password.Length != Protocol.Records.PasswordLength))
        {
            throw new ArgumentException(
                $"ZooKeeperClientOptions.Session must carry a non-zero id and the {Protocol.Records.PasswordLength}-byte password the server handed out",
                nameof(Session));
        }
    }
}
