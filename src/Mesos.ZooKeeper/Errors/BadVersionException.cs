namespace Mesos.ZooKeeper;

/// <summary>The expected version of a setData or delete did not match the node's version (<see cref="ZooKeeperErrorCode.BadVersion"/>).</summary>
public sealed class BadVersionException : ZooKeeperException
{
    public BadVersionException(string? path)
        : base(ZooKeeperErrorCode.BadVersion, $"the node {path} is not at the expected version (someone else changed it); read it again and retry", path)
    {
    }
}
