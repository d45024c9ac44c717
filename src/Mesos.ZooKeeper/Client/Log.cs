using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Client;

/// <summary>Every log message of the ZooKeeper client, with unique event ids (1-99).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Connecting to ZooKeeper server {Server}")]
    public static partial void Connecting(ILogger logger, ZooKeeperServer server);

    [LoggerMessage(2, LogLevel.Information, "ZooKeeper session {SessionId} established with {Server} (timeout {SessionTimeout}, resumed: {Resumed})")]
    public static partial void Connected(ILogger logger, string sessionId, ZooKeeperServer server, TimeSpan sessionTimeout, bool resumed);

    [LoggerMessage(3, LogLevel.Warning, "Could not connect to ZooKeeper server {Server}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, ZooKeeperServer server, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Lost the connection to ZooKeeper server {Server} (session {SessionId}): {Reason}; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, ZooKeeperServer server, string sessionId, string reason);

    [LoggerMessage(5, LogLevel.Error, "ZooKeeper session {SessionId} has expired; its ephemeral nodes and watches are gone")]
    public static partial void SessionExpired(ILogger logger, string sessionId);

    [LoggerMessage(6, LogLevel.Information, "ZooKeeper session {SessionId} closed")]
    public static partial void SessionClosed(ILogger logger, string sessionId);

    [LoggerMessage(7, LogLevel.Warning, "Closing ZooKeeper session {SessionId} failed; the server will expire it after its timeout")]
    public static partial void CloseFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "No ZooKeeper server of {ConnectString} answered; retrying in {Delay}")]
    public static partial void AllServersFailed(ILogger logger, string connectString, TimeSpan delay);

    [LoggerMessage(9, LogLevel.Debug, "Restoring {Count} watches on ZooKeeper server {Server} from zxid {Zxid}")]
    public static partial void RestoringWatches(ILogger logger, int count, ZooKeeperServer server, long zxid);

    [LoggerMessage(10, LogLevel.Warning, "ZooKeeper server {Server} answered SetWatches with {Error}")]
    public static partial void SetWatchesFailed(ILogger logger, ZooKeeperServer server, ZooKeeperErrorCode error);

    [LoggerMessage(11, LogLevel.Warning, "ZooKeeper server {Server} sent a reply with unknown xid {Xid}; ignored")]
    public static partial void UnexpectedReply(ILogger logger, ZooKeeperServer server, int xid);

    [LoggerMessage(12, LogLevel.Error, "A ZooKeeper watch or session-state callback threw; the client carries on")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "ZooKeeper server {Server} sent an invalid reply to xid {Xid}: {Reason}")]
    public static partial void BadReply(ILogger logger, ZooKeeperServer server, int xid, string reason);
}
