using Mesos.ZooKeeper.Jute;

namespace Mesos.ZooKeeper.Protocol;

/// <summary>
/// The jute records of the ZooKeeper protocol that this client uses, field for field in the order of
/// upstream's <c>zookeeper.jute</c>.
/// </summary>
internal static class Records
{
    /// <summary>Length of the session password the server hands out (and expects back on reconnect).</summary>
    public const int PasswordLength = 16;

    /// <summary>perms=ALL(31), id=world:anyone — <c>ZooDefs.Ids.OPEN_ACL_UNSAFE</c>.</summary>
    private const int PermsAll = 31;

    public static ReadOnlyMemory<byte> ConnectRequest(long lastZxidSeen, TimeSpan sessionTimeout, long sessionId, ReadOnlySpan<byte> password)
    {
        var writer = new JuteWriter(64);
        writer.WriteInt(0); // protocolVersion
        writer.WriteLong(lastZxidSeen);
        writer.WriteInt((int)sessionTimeout.TotalMilliseconds);
        writer.WriteLong(sessionId);
        writer.WriteBuffer(password.IsEmpty ? new byte[PasswordLength] : password);
        writer.WriteBool(false); // readOnly: we never accept a read-only server
        return writer.ToFrame();
    }

    public static ConnectResponse ReadConnectResponse(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        var protocolVersion = reader.ReadInt();
        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer() ?? [];
        // Servers before 3.4 do not send the readOnly flag.
        var readOnly = reader.Remaining > 0 && reader.ReadBool();
        return new ConnectResponse(protocolVersion, timeout, sessionId, password, readOnly);
    }

    /// <summary>Starts a request frame with its <c>RequestHeader</c> (xid, type).</summary>
    public static JuteWriter Request(int xid, OpCode type)
    {
        var writer = new JuteWriter();
        writer.WriteInt(xid).WriteInt((int)type);
        return writer;
    }

    public static JuteWriter PathAndWatch(JuteWriter writer, string path, bool watch) =>
        writer.WriteString(path).WriteBool(watch);

    public static JuteWriter CreateBody(JuteWriter writer, string path, ReadOnlySpan<byte> data, ZooKeeperCreateMode mode)
    {
        writer.WriteString(path);
        writer.WriteBuffer(data);
        writer.WriteInt(1); // vector<ACL> with one entry
        writer.WriteInt(PermsAll).WriteString("world").WriteString("anyone");
        writer.WriteInt((int)mode);
        return writer;
    }

    public static ReplyHeader ReadReplyHeader(ref JuteReader reader) =>
        new(reader.ReadInt(), reader.ReadLong(), (ZooKeeperErrorCode)reader.ReadInt());

    public static ZooKeeperStat ReadStat(ref JuteReader reader) => new()
    {
        Czxid = reader.ReadLong(),
        Mzxid = reader.ReadLong(),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadLong()),
        Modified = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadLong()),
        Version = reader.ReadInt(),
        ChildVersion = reader.ReadInt(),
        AclVersion = reader.ReadInt(),
        EphemeralOwner = reader.ReadLong(),
        DataLength = reader.ReadInt(),
        NumChildren = reader.ReadInt(),
        Pzxid = reader.ReadLong(),
    };

    public static WatcherEvent ReadWatcherEvent(ref JuteReader reader) =>
        new(reader.ReadInt(), reader.ReadInt(), reader.ReadString() ?? string.Empty);
}

internal readonly record struct ConnectResponse(int ProtocolVersion, int TimeoutMilliseconds, long SessionId, byte[] Password, bool ReadOnly);

internal readonly record struct ReplyHeader(int Xid, long Zxid, ZooKeeperErrorCode Error);

/// <summary>A notification: <c>type</c> is the <c>Watcher.Event.EventType</c> code, <c>state</c> the <c>KeeperState</c>.</summary>
internal readonly record struct WatcherEvent(int Type, int State, string Path);
