namespace Mesos.ZooKeeper.Detection;

/// <summary>
/// Follows the leading Mesos master in ZooKeeper: keeps a session, watches the master group's children
/// and re-reads the leader whenever they change, and creates a new session if the old one expires.
/// </summary>
public interface IMesosMasterDetector : IAsyncDisposable
{
    /// <summary>The leading master as last seen, or <see langword="null"/> before one is found or when there is none.</summary>
    MesosMaster? Leader { get; }

    /// <summary>The leading master, waiting until there is one.</summary>
    Task<MesosMaster> WaitForLeaderAsync(CancellationToken cancellationToken = default);
}
