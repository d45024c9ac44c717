namespace Mesos.ZooKeeper;

/// <summary>Ephemeral nodes cannot have children (<see cref="ZooKeeperErrorCode.NoChildrenForEphemerals"/>).</summary>
public sealed class NoChildrenForEphemeralsException : ZooKeeperException
{
    public NoChildrenForEphemeralsException(string? path)
        : base(ZooKeeperErrorCode.NoChildrenForEphemerals, $"the parent of {path} is ephemeral and cannot have children", path)
    {
    }
}
