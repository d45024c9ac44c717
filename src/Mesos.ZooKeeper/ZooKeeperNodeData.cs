namespace Mesos.ZooKeeper;

/// <summary>A node's data and its metadata, as returned by getData.</summary>
public sealed record ZooKeeperNodeData(ReadOnlyMemory<byte> Data, ZooKeeperStat Stat);
