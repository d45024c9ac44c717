namespace Mesos.ZooKeeper;

/// <summary>
/// The session is gone (<see cref="ZooKeeperErrorCode.SessionExpired"/>): its ephemeral nodes are deleted
/// and its watches are lost. The client never recovers from this; create a new client.
/// </summary>
public sealed class SessionExpiredException : ZooKeeperException
{
    public SessionExpiredException(string message)
        : base(ZooKeeperErrorCode.SessionExpired, message)
    {
    }
}
