namespace Mesos.ZooKeeper;

/// <summary>
/// No answer could be had from ZooKeeper (<see cref="ZooKeeperErrorCode.ConnectionLoss"/>): no server was
/// reachable in time, or the connection dropped while a request was in flight. A write that failed this
/// way may or may not have been applied; the session itself survives and the client keeps reconnecting.
/// </summary>
public sealed class ConnectionLossException : ZooKeeperException
{
    public ConnectionLossException(string message, Exception? innerException = null)
        : base(ZooKeeperErrorCode.ConnectionLoss, message, null, innerException)
    {
    }
}
