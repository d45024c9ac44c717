namespace Mesos.ZooKeeper.Protocol;

/// <summary>Request types of the ZooKeeper wire protocol (<c>ZooDefs.OpCode</c> upstream); only those we send.</summary>
internal enum OpCode
{
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    GetChildren = 8,
    Ping = 11,
    SetWatches = 101,
    CloseSession = -11,
}

/// <summary>Reserved xids: replies with these are not answers to numbered requests.</summary>
internal static class SpecialXid
{
    /// <summary>A watch notification from the server.</summary>
    public const int Notification = -1;

    /// <summary>A ping and its reply.</summary>
    public const int Ping = -2;

    /// <summary>The SetWatches request sent after a reconnect, and its reply.</summary>
    public const int SetWatches = -8;
}
