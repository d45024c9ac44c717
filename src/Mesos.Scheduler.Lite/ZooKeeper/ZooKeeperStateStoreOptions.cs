using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite;

/// <summary>Configuration of a <see cref="ZooKeeperStateStore"/>.</summary>
public sealed record ZooKeeperStateStoreOptions
{
    /// <summary>
    /// The ZooKeeper servers: a connect string (<c>master.mesos:2181</c>, <c>zk1:2181,zk2:2181/chroot</c>; mesos-framework
    /// <c>zkUrl</c>) or a <c>zk://host:port[,host:port]/chroot</c> URL.
    /// </summary>
    public required string Connect { get; init; }

    /// <summary>
    /// The node that holds this framework's state, <c>&lt;zkPrefix&gt;&lt;frameworkName&gt;</c> in mesos-framework
    /// (<c>/dcos-service-web</c>); see <see cref="ZooKeeperStateStore.ForFramework"/>.
    /// </summary>
    public required string Path { get; init; }

    public TimeSpan SessionTimeout { get; init; } = Defaults.ZooKeeperSessionTimeout;

    public TimeSpan ConnectTimeout { get; init; } = Defaults.ZooKeeperConnectTimeout;

    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The connect string for the client (a <c>zk://</c> URL's path becomes the chroot).</summary>
    internal string ConnectString()
    {
        if (!ZooKeeperMasterDetector.IsZooKeeperUrl(Connect))
        {
            return Connect.Trim();
        }

        var url = Mesos.ZooKeeper.Detection.ZooKeeperUrl.Parse(Connect);
        return url.Path == "/" ? url.ConnectString : url.ConnectString + url.Path;
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Connect, nameof(Connect));
        Mesos.ZooKeeper.ZooKeeperConnectString.Parse(ConnectString());
        if (string.IsNullOrEmpty(Path) || Path[0] != '/' || Path.Length == 1 || Path.EndsWith('/') || Path.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"ZooKeeperStateStoreOptions.Path '{Path}' is not a ZooKeeper node path; expected e.g. /dcos-service-myframework (zkPrefix + frameworkName)",
                nameof(Path));
        }
    }
}
