namespace Mesos.ZooKeeper;

/// <summary>
/// A ZooKeeper operation failed with <see cref="Code"/>. Specific codes that callers commonly handle
/// have their own subclasses (<see cref="NoNodeException"/>, <see cref="NodeExistsException"/>, ...);
/// every other code arrives as this base type.
/// </summary>
public class ZooKeeperException : Exception
{
    public ZooKeeperException(ZooKeeperErrorCode code, string message, string? path = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Path = path;
    }

    /// <summary>The ZooKeeper error code, as sent by the server or decided by the client.</summary>
    public ZooKeeperErrorCode Code { get; }

    /// <summary>The (client-visible, chroot-relative) path of the failed operation, when it had one.</summary>
    public string? Path { get; }

    /// <summary>The exception for an error code from a reply header.</summary>
    internal static ZooKeeperException FromCode(ZooKeeperErrorCode code, string? path)
    {
        var where = path is null ? string.Empty : $" ({path})";
        return code switch
        {
            ZooKeeperErrorCode.NoNode => new NoNodeException(path),
            ZooKeeperErrorCode.NodeExists => new NodeExistsException(path),
            ZooKeeperErrorCode.BadVersion => new BadVersionException(path),
            ZooKeeperErrorCode.NotEmpty => new NotEmptyException(path),
            ZooKeeperErrorCode.NoChildrenForEphemerals => new NoChildrenForEphemeralsException(path),
            ZooKeeperErrorCode.SessionExpired => new SessionExpiredException($"the ZooKeeper session has expired{where}"),
            ZooKeeperErrorCode.ConnectionLoss => new ConnectionLossException($"the connection to ZooKeeper was lost{where}"),
            _ => new ZooKeeperException(code, $"ZooKeeper answered {code} ({(int)code}){where}", path),
        };
    }
}
