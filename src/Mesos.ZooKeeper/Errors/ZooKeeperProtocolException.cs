namespace Mesos.ZooKeeper;

/// <summary>
/// Bytes from the server did not form a valid ZooKeeper frame or record (bad or oversized length prefix,
/// truncated record). The client drops that connection and reconnects.
/// </summary>
public sealed class ZooKeeperProtocolException : ZooKeeperException
{
    public ZooKeeperProtocolException(string message)
        : base(ZooKeeperErrorCode.MarshallingError, message)
    {
    }
}
