namespace Mesos.ZooKeeper;

/// <summary>The node to create already exists (<see cref="ZooKeeperErrorCode.NodeExists"/>).</summary>
public sealed class NodeExistsException : ZooKeeperException
{
    public NodeExistsException(string? path)
        : base(ZooKeeperErrorCode.NodeExists, $"the node {path} already exists", path)
    {
    }
}
