namespace Mesos.ZooKeeper;

/// <summary>
/// A ZooKeeper session. Calls wait for a connection when the client is reconnecting (up to
/// <see cref="ZooKeeperClientOptions.ConnectTimeout"/>) and fail with a <see cref="ZooKeeperException"/>
/// carrying the server's error code. Paths are absolute and relative to the connect string's chroot.
/// Watches are one-shot: a watcher passed to a read is called at most once, on the client's event loop.
/// Disposing closes the session, which deletes its ephemeral nodes at once.
/// </summary>
public interface IZooKeeperClient : IAsyncDisposable
{
    /// <summary>The session id and password (for resuming the session elsewhere).</summary>
    ZooKeeperSession Session { get; }

    /// <summary>The session timeout the server granted.</summary>
    TimeSpan SessionTimeout { get; }

    ZooKeeperSessionState State { get; }

    /// <summary>Creates a node with the open ACL and returns its actual path (with the sequence suffix for sequential modes).</summary>
    Task<string> CreateAsync(string path, ReadOnlyMemory<byte> data, ZooKeeperCreateMode mode = ZooKeeperCreateMode.Persistent, CancellationToken cancellationToken = default);

    /// <summary>Deletes a node; with <paramref name="expectedVersion"/>, only if its data version still matches.</summary>
    Task DeleteAsync(string path, int? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The node's metadata, or <see langword="null"/> if it does not exist. A <paramref name="watcher"/> fires on the
    /// node's creation, data change or deletion — whether it exists now or not.
    /// </summary>
    Task<ZooKeeperStat?> ExistsAsync(string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default);

    /// <summary>The node's data; a <paramref name="watcher"/> fires on its next data change or deletion.</summary>
    Task<ZooKeeperNodeData> GetDataAsync(string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the node's data; with <paramref name="expectedVersion"/>, only if its version still matches.</summary>
    Task<ZooKeeperStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The names (not paths) of the node's children, unordered; a <paramref name="watcher"/> fires when a child is added or removed, or the node deleted.</summary>
    Task<IReadOnlyList<string>> GetChildrenAsync(string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default);
}
