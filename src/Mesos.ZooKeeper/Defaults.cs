namespace Mesos.ZooKeeper;

/// <summary>Every default of this library, in one place.</summary>
internal static class Defaults
{
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>4 MiB: ZooKeeper's default jute.maxbuffer (1 MiB) with generous slack.</summary>
    public const int MaxFrameSize = 4 * 1024 * 1024;

    /// <summary>Shortest time for one TCP connect + handshake attempt to one server.</summary>
    public static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Pause after a full round of failed attempts over every server, doubling up to the maximum.</summary>
    public static readonly TimeSpan ReconnectDelayMin = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan ReconnectDelayMax = TimeSpan.FromSeconds(1);

    /// <summary>How long disposing waits for the server to confirm closeSession.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Mesos leader detection: pause before retrying after an error other than session expiry.</summary>
    public static readonly TimeSpan DetectorRetryDelay = TimeSpan.FromMilliseconds(500);
}
