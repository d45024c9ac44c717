using System.Globalization;
using Mesos.ZooKeeper.Protocol;
using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Client;

/// <summary>
/// The session behind <see cref="IZooKeeperClient"/>: a supervisor loop keeps one <see cref="Connection"/>
/// open (trying the servers in turn and resuming the session), calls go out on the current connection,
/// and watch and state callbacks run on an <see cref="EventDispatcher"/>. Split by concern:
/// <c>.Connect.cs</c> (supervisor, handshake), <c>.Operations.cs</c> (the ZooKeeper calls).
/// </summary>
internal sealed partial class SessionClient : IZooKeeperClient, IFrameHandler
{
    private readonly ZooKeeperClientOptions _options;
    private readonly ZooKeeperConnectString _connectString;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WatchManager _watches = new();
    private readonly EventDispatcher _events;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private Task _supervisor = Task.CompletedTask;
    private Connection? _connection;
    private TaskCompletionSource _stateChanged = NewSignal();
    private ZooKeeperSessionState _state = ZooKeeperSessionState.Connecting;
    private long _sessionId;
    private byte[] _password = new byte[Records.PasswordLength];
    private TimeSpan _negotiatedTimeout;
    private long _lastZxid;
    private int _xid;
    private Exception? _lastConnectError;
    private int _disposed;
    private bool _closing;

    public SessionClient(ZooKeeperClientOptions options, ILogger logger)
    {
        _options = options;
        _connectString = ZooKeeperConnectString.Parse(options.ConnectString);
        _logger = logger;
        _time = options.TimeProvider;
        _events = new EventDispatcher(logger);
        _negotiatedTimeout = options.SessionTimeout;
        if (options.Session is { } session)
        {
            _sessionId = session.Id;
            _password = session.Password.ToArray();
        }
    }

    public ZooKeeperSession Session
    {
        get
        {
            lock (_gate)
            {
                return new ZooKeeperSession(_sessionId, _password.ToArray());
            }
        }
    }

    public TimeSpan SessionTimeout
    {
        get
        {
            lock (_gate)
            {
                return _negotiatedTimeout;
            }
        }
    }

    public ZooKeeperSessionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    private string SessionIdText => FormatSessionId(Interlocked.Read(ref _sessionId));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor = Task.Run(() => SuperviseAsync(_shutdown.Token), CancellationToken.None);
        await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _closing, true);
        Connection? connection;
        bool wasLive;
        lock (_gate)
        {
            connection = _connection;
            wasLive = _state is ZooKeeperSessionState.Connected or ZooKeeperSessionState.Disconnected;
        }

        if (connection is not null && connection.IsOpen)
        {
            await CloseSessionAsync(connection).ConfigureAwait(false);
        }

        var expired = false;
        lock (_gate)
        {
            expired = _state == ZooKeeperSessionState.Expired;
        }

        if (!expired)
        {
            SetState(ZooKeeperSessionState.Closed, connection: null, server: null);
            if (wasLive)
            {
                Log.SessionClosed(_logger, SessionIdText);
            }
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        connection?.Abort(new ObjectDisposedException(nameof(IZooKeeperClient), "the ZooKeeper client was disposed"));
        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }

        await _events.CompleteAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    void IFrameHandler.ObserveZxid(long zxid)
    {
        // Only the receive loop of the current connection writes; the handshake of the next one reads.
        if (zxid > Interlocked.Read(ref _lastZxid))
        {
            Interlocked.Exchange(ref _lastZxid, zxid);
        }
    }

    void IFrameHandler.OnNotification(WatcherEvent notification)
    {
        ZooKeeperWatchEventType? type = notification.Type switch
        {
            1 => ZooKeeperWatchEventType.NodeCreated,
            2 => ZooKeeperWatchEventType.NodeDeleted,
            3 => ZooKeeperWatchEventType.NodeDataChanged,
            4 => ZooKeeperWatchEventType.NodeChildrenChanged,
            _ => null, // None (state-only) and newer types (persistent-watch removal) are not ours.
        };
        if (type is null)
        {
            return;
        }

        var watchEvent = new ZooKeeperWatchEvent(type.Value, ZooKeeperPath.Strip(_connectString.Chroot, notification.Path));
        foreach (var watcher in _watches.Trigger(watchEvent.Type, watchEvent.Path))
        {
            _events.Post(() => watcher(watchEvent));
        }
    }

    internal static string FormatSessionId(long id) => "0x" + id.ToString("x", CultureInfo.InvariantCulture);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Moves to <paramref name="state"/> (never out of a terminal state), wakes waiting calls, tells the callback.</summary>
    private bool SetState(ZooKeeperSessionState state, Connection? connection, ZooKeeperServer? server)
    {
        TaskCompletionSource signal;
        long sessionId;
        lock (_gate)
        {
            if (_state is ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed)
            {
                return false;
            }

            _state = state;
            _connection = connection;
            signal = _stateChanged;
            _stateChanged = NewSignal();
            sessionId = _sessionId;
        }

        signal.TrySetResult();
        if (_options.OnSessionStateChanged is { } callback)
        {
            var change = new ZooKeeperSessionStateChange(state, sessionId, server);
            _events.Post(() => callback(change));
        }

        return true;
    }

    /// <summary>The open connection, waiting for one up to <see cref="ZooKeeperClientOptions.ConnectTimeout"/>.</summary>
    private async Task<Connection> WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                switch (_state)
                {
                    case ZooKeeperSessionState.Expired:
                        throw new SessionExpiredException($"the ZooKeeper session {FormatSessionId(_sessionId)} has expired; create a new client");
                    case ZooKeeperSessionState.Closed:
                        throw new ObjectDisposedException(nameof(IZooKeeperClient), "the ZooKeeper client was disposed");
                    case ZooKeeperSessionState.Connected when _connection is { IsOpen: true } open:
                        return open;
                }

                changed = _stateChanged.Task;
            }

            var remaining = _options.ConnectTimeout - _time.GetElapsedTime(started);
            try
            {
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await changed.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new ConnectionLossException(
                    $"no ZooKeeper server of {_connectString} could be reached within {_options.ConnectTimeout.TotalSeconds:0.###} s " +
                    $"(ZooKeeperClientOptions.ConnectTimeout); last error: {_lastConnectError?.Message ?? "none"}",
                    _lastConnectError);
            }
        }
    }
}
