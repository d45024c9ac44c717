using System.IO.Pipelines;
using System.Net.Sockets;
using Mesos.ZooKeeper.Jute;
using Mesos.ZooKeeper.Protocol;
using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Client;

/// <summary>
/// One TCP connection to one server after a successful handshake: writes requests (one at a time),
/// reads replies and notifications, pings when idle and gives up when the server goes quiet. It ends
/// once, with a reason (<see cref="Completion"/>); the session then fails its pending requests with
/// <see cref="ConnectionLossException"/> and reconnects.
/// </summary>
internal sealed class Connection
{
    private static readonly ReadOnlyMemory<byte> PingFrame = Records.Request(SpecialXid.Ping, OpCode.Ping).ToFrame();

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameReader _frames;
    private readonly PipeReader _pipe;
    private readonly IFrameHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _pendingGate = new();
    private readonly Dictionary<int, PendingRequest> _pending = [];
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<Exception> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSend;
    private long _lastReceive;
    private bool _aborted;

    public Connection(
        Socket socket, NetworkStream stream, PipeReader pipe, FrameReader frames, ZooKeeperServer server, TimeSpan sessionTimeout,
        IFrameHandler handler, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _stream = stream;
        _pipe = pipe;
        _frames = frames;
        Server = server;
        SessionTimeout = sessionTimeout;
        _handler = handler;
        _time = time;
        _logger = logger;
        _lastSend = _lastReceive = time.GetTimestamp();
    }

    public ZooKeeperServer Server { get; }

    /// <summary>The negotiated session timeout: pings every third of it, the server presumed dead after two thirds of silence.</summary>
    public TimeSpan SessionTimeout { get; }

    /// <summary>Completes with the reason once the connection is over.</summary>
    public Task<Exception> Completion => _completion.Task;

    public bool IsOpen => !Volatile.Read(ref _aborted);

    public void Start()
    {
        _ = Task.Run(ReceiveLoopAsync);
        _ = Task.Run(PingLoopAsync);
    }

    /// <summary>Writes a frame that gets no tracked reply (SetWatches).</summary>
    public async Task SendUntrackedAsync(ReadOnlyMemory<byte> frame)
    {
        await _writeLock.WaitAsync(_closed.Token).ConfigureAwait(false);
        try
        {
            await WriteAsync(frame).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Registers <paramref name="request"/> and writes its frame; its reply (or the connection's end) completes it.
    /// Returns <see langword="false"/> when the connection had already ended, so nothing was sent (safe to retry).
    /// </summary>
    public async Task<bool> SendAsync(PendingRequest request, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_pendingGate)
            {
                if (_aborted)
                {
                    return false;
                }

                _pending[request.Xid] = request;
            }

            // Not cancellable by the caller: half a frame on the wire would corrupt the stream.
            await WriteAsync(frame).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the connection (idempotent): closes the socket and fails every pending request.</summary>
    public void Abort(Exception reason)
    {
        List<PendingRequest> pending;
        lock (_pendingGate)
        {
            if (_aborted)
            {
                return;
            }

            _aborted = true;
            pending = [.. _pending.Values];
            _pending.Clear();
        }

        _closed.Cancel();
        _socket.Dispose();
        foreach (var request in pending)
        {
            request.Fail(new ConnectionLossException(
                $"the connection to ZooKeeper server {Server} was lost before it answered (request on {request.Path ?? "the session"}); " +
                "a write may or may not have been applied",
                reason));
        }

        _completion.TrySetResult(reason);
    }

    private ConnectionLossException LostBeforeSending() =>
        new($"the connection to ZooKeeper server {Server} was lost before the request could be sent");

    private async Task WriteAsync(ReadOnlyMemory<byte> frame)
    {
        try
        {
            await _stream.WriteAsync(frame, _closed.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSend, _time.GetTimestamp());
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort(exception);
            throw LostBeforeSending();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                var frame = await _frames.ReadFrameAsync(_closed.Token).ConfigureAwait(false)
                    ?? throw new IOException($"ZooKeeper server {Server} closed the connection");
                Volatile.Write(ref _lastReceive, _time.GetTimestamp());
                HandleFrame(frame);
            }
        }
        catch (Exception exception)
        {
            reason = exception;
        }

        await _pipe.CompleteAsync().ConfigureAwait(false);
        Abort(reason);
    }

    private void HandleFrame(byte[] frame)
    {
        var reader = new JuteReader(frame);
        var header = Records.ReadReplyHeader(ref reader);
        if (header.Zxid > 0)
        {
            _handler.ObserveZxid(header.Zxid);
        }

        switch (header.Xid)
        {
            case SpecialXid.Ping:
                return;
            case SpecialXid.Notification:
                _handler.OnNotification(Records.ReadWatcherEvent(ref reader));
                return;
            case SpecialXid.SetWatches:
                if (header.Error != ZooKeeperErrorCode.Ok)
                {
                    Log.SetWatchesFailed(_logger, Server, header.Error);
                }

                return;
        }

        PendingRequest? request;
        lock (_pendingGate)
        {
            _pending.Remove(header.Xid, out request);
        }

        if (request is null)
        {
            Log.UnexpectedReply(_logger, Server, header.Xid);
            return;
        }

        if (request.Complete(header.Error, ref reader) is { } problem)
        {
            Log.BadReply(_logger, Server, header.Xid, problem);
        }
    }

    private async Task PingLoopAsync()
    {
        var pingInterval = SessionTimeout / 3;
        var readTimeout = SessionTimeout * 2 / 3;
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                var sinceSend = _time.GetElapsedTime(Volatile.Read(ref _lastSend));
                var sinceReceive = _time.GetElapsedTime(Volatile.Read(ref _lastReceive));
                if (sinceReceive >= readTimeout)
                {
                    Abort(new TimeoutException(
                        $"ZooKeeper server {Server} sent nothing for {sinceReceive.TotalMilliseconds:F0} ms (two thirds of the session timeout)"));
                    return;
                }

                if (sinceSend >= pingInterval)
                {
                    await SendUntrackedAsync(PingFrame).ConfigureAwait(false);
                    sinceSend = TimeSpan.Zero;
                }

                var wait = Min(pingInterval - sinceSend, readTimeout - sinceReceive);
                await Task.Delay(Max(wait, TimeSpan.FromMilliseconds(10)), _time, _closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ConnectionLossException or ObjectDisposedException)
        {
            // The connection ended; the receive loop or Abort has the reason.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>What a connection hands up to its session.</summary>
internal interface IFrameHandler
{
    void ObserveZxid(long zxid);

    void OnNotification(WatcherEvent notification);
}
