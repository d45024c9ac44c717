using System.IO.Pipelines;
using System.Net.Sockets;
using Mesos.ZooKeeper.Protocol;
using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Client;

internal sealed partial class SessionClient
{
    /// <summary>
    /// Keeps the session connected: tries the servers in turn (the next one after each failure or drop),
    /// pauses with a doubling delay after a full round of failures, and stops for good when the server
    /// says the session expired or the client is disposed.
    /// </summary>
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var servers = _connectString.Servers;
        var next = 0;
        var failuresInRound = 0;
        var delay = Defaults.ReconnectDelayMin;
        while (!cancellationToken.IsCancellationRequested && !Volatile.Read(ref _closing))
        {
            var server = servers[next];
            next = (next + 1) % servers.Count;
            Connection connection;
            try
            {
                connection = await ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionExpiredException)
            {
                Expire();
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _lastConnectError = exception;
                Log.ConnectFailed(_logger, server, exception.Message);
                if (++failuresInRound >= servers.Count)
                {
                    failuresInRound = 0;
                    var jittered = delay * (0.5 + (Random.Shared.NextDouble() / 2));
                    Log.AllServersFailed(_logger, _connectString.ToString(), jittered);
                    try
                    {
                        await Task.Delay(jittered, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    delay = delay * 2 > Defaults.ReconnectDelayMax ? Defaults.ReconnectDelayMax : delay * 2;
                }

                continue;
            }

            failuresInRound = 0;
            delay = Defaults.ReconnectDelayMin;
            if (!SetState(ZooKeeperSessionState.Connected, connection, server))
            {
                connection.Abort(new ObjectDisposedException(nameof(IZooKeeperClient)));
                return;
            }

            var reason = await connection.Completion.ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested || Volatile.Read(ref _closing))
            {
                // Disposing: the server closes the connection after closeSession; do not reconnect.
                return;
            }

            Log.ConnectionLost(_logger, server, SessionIdText, reason.Message);
            SetState(ZooKeeperSessionState.Disconnected, connection: null, server: null);
        }
    }

    /// <summary>TCP connect, ConnectRequest/ConnectResponse, SetWatches: a live connection or an exception.</summary>
    private async Task<Connection> ConnectAsync(ZooKeeperServer server, CancellationToken cancellationToken)
    {
        Log.Connecting(_logger, server);
        // A third of the session per server (Java waits the whole timeout divided by the server count): a
        // server that accepts TCP but never answers the handshake (starting up, overloaded) must not use up
        // the session, or the session expires before the next attempt.
        var attemptTimeout = _options.SessionTimeout / 3 / _connectString.Servers.Count;
        if (attemptTimeout < Defaults.MinAttemptTimeout)
        {
            attemptTimeout = Defaults.MinAttemptTimeout;
        }

        using var timeout = new CancellationTokenSource(attemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, linked.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            var frames = new FrameReader(pipe, _options.MaxFrameSize);

            long sessionId;
            byte[] password;
            lock (_gate)
            {
                sessionId = _sessionId;
                password = _password;
            }

            var request = Records.ConnectRequest(Interlocked.Read(ref _lastZxid), _options.SessionTimeout, sessionId, password);
            await stream.WriteAsync(request, linked.Token).ConfigureAwait(false);
            var frame = await frames.ReadFrameAsync(linked.Token).ConfigureAwait(false)
                ?? throw new IOException(
                    $"ZooKeeper server {server} closed the connection during the handshake (it may be starting, or have seen a newer zxid than it has)");
            var response = Records.ReadConnectResponse(frame);
            if (response.TimeoutMilliseconds <= 0)
            {
                throw new SessionExpiredException($"ZooKeeper server {server} says session {FormatSessionId(sessionId)} has expired");
            }

            var negotiated = TimeSpan.FromMilliseconds(response.TimeoutMilliseconds);
            lock (_gate)
            {
                _sessionId = response.SessionId;
                _password = response.Password;
                _negotiatedTimeout = negotiated;
            }

            Log.Connected(_logger, FormatSessionId(response.SessionId), server, negotiated, sessionId != 0);
            var connection = new Connection(socket, stream, pipe, frames, server, negotiated, this, _time, _logger);
            connection.Start();
            await RestoreWatchesAsync(connection).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// After a reconnect, re-registers every watch with the server in one SetWatches request (before any
    /// other request goes out on the connection); the server fires those whose node changed after the
    /// last zxid this client saw.
    /// </summary>
    private async Task RestoreWatchesAsync(Connection connection)
    {
        var (data, exist, child) = _watches.Snapshot();
        var count = data.Count + exist.Count + child.Count;
        if (count == 0)
        {
            return;
        }

        var chroot = _connectString.Chroot;
        var zxid = Interlocked.Read(ref _lastZxid);
        Log.RestoringWatches(_logger, count, connection.Server, zxid);
        var writer = Records.Request(SpecialXid.SetWatches, OpCode.SetWatches);
        writer.WriteLong(zxid);
        writer.WriteStringVector(data.ConvertAll(p => ZooKeeperPath.Prepend(chroot, p)));
        writer.WriteStringVector(exist.ConvertAll(p => ZooKeeperPath.Prepend(chroot, p)));
        writer.WriteStringVector(child.ConvertAll(p => ZooKeeperPath.Prepend(chroot, p)));
        await connection.SendUntrackedAsync(writer.ToFrame()).ConfigureAwait(false);
    }

    /// <summary>The server said the session is gone: terminal state, and every watch learns it will never fire.</summary>
    private void Expire()
    {
        Log.SessionExpired(_logger, SessionIdText);
        if (!SetState(ZooKeeperSessionState.Expired, connection: null, server: null))
        {
            return;
        }

        foreach (var (watcher, path) in _watches.DrainAll())
        {
            var watchEvent = new ZooKeeperWatchEvent(ZooKeeperWatchEventType.SessionExpired, path);
            _events.Post(() => watcher(watchEvent));
        }
    }

    /// <summary>Sends closeSession and waits (briefly) for the answer, so ephemeral nodes go at once.</summary>
    private async Task CloseSessionAsync(Connection connection)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Defaults.CloseTimeout, _time);
            await SendAsync(connection, OpCode.CloseSession, path: null, _ => { }, NoBody, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ZooKeeperException or OperationCanceledException or ObjectDisposedException)
        {
            Log.CloseFailed(_logger, SessionIdText, exception);
        }
    }
}
