namespace Mesos.ZooKeeper;

/// <summary>What fired a one-shot watch.</summary>
public enum ZooKeeperWatchEventType
{
    /// <summary>The watched node was created (exists watch on a missing node).</summary>
    NodeCreated,

    /// <summary>The watched node was deleted (any watch).</summary>
    NodeDeleted,

    /// <summary>The watched node's data changed (exists or getData watch).</summary>
    NodeDataChanged,

    /// <summary>A child was added or removed (getChildren watch).</summary>
    NodeChildrenChanged,

    /// <summary>
    /// The session expired before the watch fired: it never will. Set up again on a new client.
    /// </summary>
    SessionExpired,
}

/// <summary>A fired watch. Each watch fires once; set it again with the next read to keep watching.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Path">The watched node, relative to the chroot.</param>
public sealed record ZooKeeperWatchEvent(ZooKeeperWatchEventType Type, string Path);
