namespace Mesos.ZooKeeper;

/// <summary>A node with children cannot be deleted (<see cref="ZooKeeperErrorCode.NotEmpty"/>).</summary>
public sealed class NotEmptyException : ZooKeeperException
{
    public NotEmptyException(string? path)
        : base(ZooKeeperErrorCode.NotEmpty, $"the node {path} has children; delete them first", path)
    {
    }
}
