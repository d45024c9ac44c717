using Mesos.ZooKeeper.Jute;
using Mesos.ZooKeeper.Protocol;

namespace Mesos.ZooKeeper.Client;

internal sealed partial class SessionClient
{
    private static readonly ReplyParser<bool> NoBody = static (ref JuteReader _) => true;

    private static readonly ReplyParser<ZooKeeperStat> StatBody = static (ref JuteReader reader) => Records.ReadStat(ref reader);

    public async Task<string> CreateAsync(
        string path, ReadOnlyMemory<byte> data, ZooKeeperCreateMode mode = ZooKeeperCreateMode.Persistent, CancellationToken cancellationToken = default)
    {
        var sequential = mode is ZooKeeperCreateMode.PersistentSequential or ZooKeeperCreateMode.EphemeralSequential;
        ZooKeeperPath.Validate(path, nameof(path), sequential);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown ZooKeeperCreateMode");
        }

        var chroot = _connectString.Chroot;
        var serverPath = ZooKeeperPath.Prepend(chroot, path);
        return await SendAsync(
            OpCode.Create,
            path,
            writer => Records.CreateBody(writer, serverPath, data.Span, mode),
            (ref JuteReader reader) => ZooKeeperPath.Strip(chroot, reader.ReadString() ?? serverPath),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string path, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path, nameof(path));
        var serverPath = ZooKeeperPath.Prepend(_connectString.Chroot, path);
        await SendAsync(
            OpCode.Delete,
            path,
            writer => writer.WriteString(serverPath).WriteInt(expectedVersion ?? -1),
            NoBody,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<ZooKeeperStat?> ExistsAsync(
        string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path, nameof(path));
        var serverPath = ZooKeeperPath.Prepend(_connectString.Chroot, path);
        return await SendAsync<ZooKeeperStat?>(
            OpCode.Exists,
            path,
            writer => Records.PathAndWatch(writer, serverPath, watcher is not null),
            StatBody,
            Register(WatchKind.Data, path, watcher),
            onNoNode: () =>
            {
                Register(WatchKind.Exist, path, watcher)?.Invoke();
                return null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<ZooKeeperNodeData> GetDataAsync(
        string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path, nameof(path));
        var serverPath = ZooKeeperPath.Prepend(_connectString.Chroot, path);
        return await SendAsync(
            OpCode.GetData,
            path,
            writer => Records.PathAndWatch(writer, serverPath, watcher is not null),
            static (ref JuteReader reader) =>
            {
                var data = reader.ReadBuffer() ?? [];
                return new ZooKeeperNodeData(data, Records.ReadStat(ref reader));
            },
            Register(WatchKind.Data, path, watcher),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<ZooKeeperStat> SetDataAsync(
        string path, ReadOnlyMemory<byte> data, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path, nameof(path));
        var serverPath = ZooKeeperPath.Prepend(_connectString.Chroot, path);
        return await SendAsync(
            OpCode.SetData,
            path,
            writer => writer.WriteString(serverPath).WriteBuffer(data.Span).WriteInt(expectedVersion ?? -1),
            StatBody,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetChildrenAsync(
        string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher = null, CancellationToken cancellationToken = default)
    {
        ZooKeeperPath.Validate(path, nameof(path));
        var serverPath = ZooKeeperPath.Prepend(_connectString.Chroot, path);
        return await SendAsync<IReadOnlyList<string>>(
            OpCode.GetChildren,
            path,
            writer => Records.PathAndWatch(writer, serverPath, watcher is not null),
            static (ref JuteReader reader) => reader.ReadStringVector(),
            Register(WatchKind.Child, path, watcher),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private Action? Register(WatchKind kind, string path, Func<ZooKeeperWatchEvent, ValueTask>? watcher) =>
        watcher is null ? null : () => _watches.Add(kind, path, watcher);

    /// <summary>Waits for a connection, then sends one request on it and waits for its reply.</summary>
    private async Task<T> SendAsync<T>(
        OpCode type,
        string? path,
        Action<JuteWriter> writeBody,
        ReplyParser<T> parse,
        Action? onSuccess = null,
        Func<T>? onNoNode = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
            var (sent, result) = await TrySendAsync(connection, type, path, writeBody, parse, onSuccess, onNoNode, cancellationToken)
                .ConfigureAwait(false);
            if (sent)
            {
                return result!;
            }

            // The connection ended before the request went out: nothing reached the server, wait for the next one.
        }
    }

    /// <summary>Sends on <paramref name="connection"/> only; fails with <see cref="ConnectionLossException"/> if it has ended.</summary>
    private async Task<T> SendAsync<T>(
        Connection connection,
        OpCode type,
        string? path,
        Action<JuteWriter> writeBody,
        ReplyParser<T> parse,
        CancellationToken cancellationToken)
    {
        var (sent, result) = await TrySendAsync(connection, type, path, writeBody, parse, null, null, cancellationToken).ConfigureAwait(false);
        return sent
            ? result!
            : throw new ConnectionLossException($"the connection to ZooKeeper server {connection.Server} ended before the request could be sent");
    }

    private async Task<(bool Sent, T? Result)> TrySendAsync<T>(
        Connection connection,
        OpCode type,
        string? path,
        Action<JuteWriter> writeBody,
        ReplyParser<T> parse,
        Action? onSuccess = null,
        Func<T>? onNoNode = null,
        CancellationToken cancellationToken = default)
    {
        // Positive xids only: the negative ones are reserved for pings, notifications and SetWatches.
        var xid = Interlocked.Increment(ref _xid) & int.MaxValue;
        var writer = Records.Request(xid, type);
        writeBody(writer);
        var request = new PendingRequest<T>(xid, path, parse, onSuccess, onNoNode);
        if (!await connection.SendAsync(request, writer.ToFrame(), cancellationToken).ConfigureAwait(false))
        {
            return (false, default);
        }

        return (true, await request.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
    }
}
