namespace Mesos.ZooKeeper;

/// <summary>A node's metadata (the jute <c>Stat</c> record).</summary>
public sealed record ZooKeeperStat
{
    /// <summary>The zxid of the change that created the node.</summary>
    public long Czxid { get; init; }

    /// <summary>The zxid of the change that last modified the node's data.</summary>
    public long Mzxid { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Modified { get; init; }

    /// <summary>Number of changes to the node's data: the version that setData/delete can expect.</summary>
    public int Version { get; init; }

    /// <summary>Number of changes to the node's children.</summary>
    public int ChildVersion { get; init; }

    public int AclVersion { get; init; }

    /// <summary>The owning session id of an ephemeral node, 0 for a persistent one.</summary>
    public long EphemeralOwner { get; init; }

    public int DataLength { get; init; }

    public int NumChildren { get; init; }

    /// <summary>The zxid of the change that last modified the node's children.</summary>
    public long Pzxid { get; init; }
}
