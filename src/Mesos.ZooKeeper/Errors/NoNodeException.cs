namespace Mesos.ZooKeeper;

/// <summary>The node (or, for create, its parent) does not exist (<see cref="ZooKeeperErrorCode.NoNode"/>).</summary>
public sealed class NoNodeException : ZooKeeperException
{
    public NoNodeException(string? path)
        : base(ZooKeeperErrorCode.NoNode, $"the node {path} does not exist", path)
    {
    }
}
