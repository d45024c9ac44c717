namespace Mesos.Scheduler.Lite;

/// <summary>
/// Finds the leading master, e.g. from ZooKeeper (<c>zk://host:2181/mesos</c>; mesoshttp's ZooKeeper detection,
/// mesos-framework's <c>useZk</c>). Asked before every connection attempt; its answer is tried before the configured
/// masters list. The ZooKeeper implementation lives with the ZooKeeper client.
/// </summary>
public interface IMasterDetector
{
    /// <summary>The leader's base URL (<c>http://host:5050</c>) or its scheduler API URL, or null when unknown right now.</summary>
    ValueTask<Uri?> DetectLeaderAsync(CancellationToken cancellationToken = default);
}
