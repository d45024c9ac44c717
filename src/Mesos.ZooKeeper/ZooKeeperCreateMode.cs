namespace Mesos.ZooKeeper;

/// <summary>How a node is created (the <c>flags</c> of a create request; <c>CreateMode</c> upstream).</summary>
public enum ZooKeeperCreateMode
{
    /// <summary>Lives until deleted.</summary>
    Persistent = 0,

    /// <summary>Deleted when the session that created it ends (closes or expires).</summary>
    Ephemeral = 1,

    /// <summary>Persistent, with a 10-digit, monotonically increasing counter appended to the name.</summary>
    PersistentSequential = 2,

    /// <summary>Ephemeral, with a 10-digit, monotonically increasing counter appended to the name.</summary>
    EphemeralSequential = 3,
}
