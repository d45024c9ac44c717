using System.Collections.Concurrent;
using System.Net;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.Http;
using Mesos.Protocol.RecordIO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// A Mesos v1 scheduler client: subscribes to the leading master (masters list, 307 redirects, 503 while no leader),
/// keeps the subscription alive (heartbeat watchdog, re-subscribe with the same framework id and jittered exponential
/// backoff), reconciles, acknowledges updates after the handler ran, and sends the 17 scheduler calls.
/// Run it with <see cref="RunAsync"/>; it never ends the process, only returns or throws.
/// </summary>
public sealed partial class SchedulerClient : IAsyncDisposable
{
    private readonly SchedulerClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<Uri> _masters;
    private readonly DcosTokenProvider? _dcos;
    private readonly Dictionary<Uri, MesosHttpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, AgentID?> _knownTasks = new(StringComparer.Ordinal);
    private Session? _session;
    private TaskCompletionSource? _stoppedCurrent;
    private FrameworkID? _frameworkId;
    private Uri? _lastLeader;
    private int _running;
    private bool _disposed;

    public SchedulerClient(SchedulerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _logger = (ILogger?)options.LoggerFactory?.CreateLogger<SchedulerClient>() ?? NullLogger<SchedulerClient>.Instance;
        _masters = options.Masters.Select(MasterEndpoints.ToSchedulerEndpoint).Distinct().ToArray();
        if (!string.IsNullOrEmpty(options.Framework.FrameworkId))
        {
            _frameworkId = new FrameworkID { Value = options.Framework.FrameworkId };
        }

        if (options.ServiceAccount is { } account)
        {
            _dcos = new DcosTokenProvider(account, options.Tls, options.CallTimeout, _time);
        }

    }

    public SchedulerClientOptions Options => _options;

    /// <summary>The framework id: configured, or assigned by the master at the first SUBSCRIBED; kept across reconnections.</summary>
    public FrameworkID? FrameworkId => Volatile.Read(ref _frameworkId);

    /// <summary>The <c>Mesos-Stream-Id</c> of the current subscription.</summary>
    public string? StreamId => Volatile.Read(ref _session)?.StreamId;

    /// <summary>The scheduler API URL of the master the client is subscribed to.</summary>
    public Uri? Master => Volatile.Read(ref _session)?.Master;

    /// <summary>What the leading master said about itself in SUBSCRIBED (mesoshttp <c>get_master_info</c>).</summary>
    public V1.MasterInfo? MasterInfo { get; private set; }

    public bool IsSubscribed => Volatile.Read(ref _session) is not null;

    /// <summary>How many times the client subscribed (the first SUBSCRIBE included).</summary>
    public int Subscriptions { get; private set; }

    /// <summary>Non-terminal tasks the client knows of (launched through it, reported by updates, or <see cref="TrackTasks"/>).</summary>
    public IReadOnlyCollection<string> KnownTaskIds => _knownTasks.Keys.ToArray();

    /// <summary>Tell the client about tasks launched before it started (e.g. loaded from a state store), so it reconciles them.</summary>
    public void TrackTasks(IEnumerable<(TaskID TaskId, AgentID? AgentId)> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var (taskId, agentId) in tasks)
        {
            _knownTasks[taskId.Value] = agentId;
        }
    }

    /// <summary>
    /// Subscribes and delivers every event to <paramref name="handler"/>, in order, one at a time, until
    /// <paramref name="cancellationToken"/>, <see cref="DisconnectAsync"/> or <see cref="TeardownAsync"/> stops it.
    /// </summary>
    /// <exception cref="SchedulerConnectionException"><see cref="SchedulerClientOptions.MaxReconnect"/> consecutive attempts failed.</exception>
    public async Task RunAsync(Func<SchedulerEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("SchedulerClient.RunAsync is already running");
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stoppedCurrent, stopped);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var failures = 0;
        var everSubscribed = false;
        var lost = false;
        try
        {
            while (!token.IsCancellationRequested)
            {
                string reason;
                Exception? error = null;
                var silence = _options.MasterConnectionTimeout;
                var wasSubscribed = false;
                CancellationTokenSource? background = null;

                // Watch for a new leader from before the connection attempt on, so a change during it is not missed.
                using var leaderWatch = CancellationTokenSource.CreateLinkedTokenSource(token);
                var leaderMove = new LeaderMove();
                var watching = _options.MasterDetector is { } detector ? WatchLeaderAsync(detector, leaderMove, leaderWatch.Token) : Task.CompletedTask;
                try
                {
                    await using var connection = await ConnectAsync(token).ConfigureAwait(false);
                    if (leaderMove.Connected(connection.Endpoint))
                    {
                        await leaderMove.Moved.CancelAsync().ConfigureAwait(false);
                    }

                    using var watchdog = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
                    watchdog.CancelAfter(silence);
                    using var read = CancellationTokenSource.CreateLinkedTokenSource(token, watchdog.Token, leaderMove.Moved.Token);
                    await foreach (var raw in connection.Stream.ReadEventsAsync(read.Token).ConfigureAwait(false))
                    {
                        watchdog.CancelAfter(silence);
                        var ev = SchedulerEvent.FromProto(raw, _time.GetUtcNow(), connection.Stream.StreamId);
                        if (ev is SubscribedEvent subscribed)
                        {
                            var heartbeat = subscribed.HeartbeatInterval is { } h && h > TimeSpan.Zero ? h : Defaults.HeartbeatInterval;
                            silence = heartbeat * _options.MissedHeartbeats;
                            watchdog.CancelAfter(silence);
                            Volatile.Write(ref _frameworkId, subscribed.FrameworkId.Clone());
                            MasterInfo = subscribed.MasterInfo;
                            Volatile.Write(ref _session, new Session(connection.Endpoint, connection.Http, connection.Stream.StreamId ?? string.Empty));
                            Subscriptions++;
                            failures = 0;
                            wasSubscribed = everSubscribed = true;
                            Log.Subscribed(_logger, connection.Endpoint, subscribed.FrameworkId.Value, heartbeat);
                            await DeliverAsync(handler, ev, token).ConfigureAwait(false);
                            if (lost)
                            {
                                lost = false;
                                await DeliverAsync(handler, new ReconnectedEvent(subscribed.FrameworkId, connection.Endpoint), token).ConfigureAwait(false);
                            }

                            background?.Cancel();
                            background?.Dispose();
                            background = CancellationTokenSource.CreateLinkedTokenSource(token);
                            StartBackgroundWork(background.Token);
                        }
                        else
                        {
                            await HandleEventAsync(handler, ev, token).ConfigureAwait(false);
                        }

                        watchdog.CancelAfter(silence);
                    }

                    reason = "the master closed the event stream";
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException ex) when (leaderMove.Moved.IsCancellationRequested)
                {
                    reason = $"the leading master changed to {leaderMove.NewLeader}";
                    error = ex;
                }
                catch (OperationCanceledException ex)
                {
                    reason = $"no event from the master for {silence} (missed heartbeats)";
                    error = ex;
                }
                catch (Exception ex) when (ex is MesosConnectionException or MesosHttpException or RecordIOException or MesosDecodeException
                                               or SchedulerConnectionException or HttpRequestException or IOException)
                {
                    reason = ex.Message;
                    error = ex;
                }
                finally
                {
                    Volatile.Write(ref _session, null);
                    if (background is not null)
                    {
                        await background.CancelAsync().ConfigureAwait(false);
                        background.Dispose();
                    }

                    await leaderWatch.CancelAsync().ConfigureAwait(false);
                    await watching.ConfigureAwait(false);
                    leaderMove.Moved.Dispose();
                }

                if (wasSubscribed && !lost)
                {
                    lost = true;
                    await DeliverAsync(handler, new DisconnectedEvent(reason, error), token).ConfigureAwait(false);
                }

                if (leaderMove.Moved.IsCancellationRequested && leaderMove.NewLeader is not null)
                {
                    // Not a failure: the new leader is known, so re-subscribe to it now, without backoff.
                    Log.LeaderChanged(_logger, leaderMove.NewLeader);
                    continue;
                }

                failures++;
                if (_options.MaxReconnect is { } max && failures > max)
                {
                    Log.GivingUp(_logger, failures, max, reason);
                    throw new SchedulerConnectionException(
                        $"Gave up after {failures} consecutive failed attempt(s) to stay subscribed (MaxReconnect {max}): {reason}", error)
                    {
                        WasEverSubscribed = everSubscribed,
                    };
                }

                var delay = _options.Backoff.DelayFor(failures, Random.Shared.NextDouble());
                Log.Disconnected(_logger, reason, failures, delay);
                try
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _session, null);
            Volatile.Write(ref _running, 0);
            stopped.TrySetResult();
        }
    }

    /// <summary>Stops <see cref="RunAsync"/> without TEARDOWN: the framework and its tasks stay until the failover timeout (mesoshttp <c>disconnect_framework</c>).</summary>
    public async Task DisconnectAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _stoppedCurrent) is { } stopped)
        {
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    private async Task HandleEventAsync(Func<SchedulerEvent, CancellationToken, ValueTask> handler, SchedulerEvent ev, CancellationToken token)
    {
        switch (ev)
        {
            case UpdateEvent update:
                ObserveStatus(update.Status);
                break;
            case ErrorEvent error:
                Log.MasterError(_logger, error.Message);
                break;
            case UnknownEvent unknown:
                Log.UnknownEvent(_logger, unknown.Raw.Type.ToString());
                break;
        }

        var handled = await DeliverAsync(handler, ev, token).ConfigureAwait(false);
        if (handled && ev is UpdateEvent { NeedsAcknowledgement: true } u && _options.Acknowledgement == AcknowledgementMode.AfterHandler)
        {
            try
            {
                await AcknowledgeAsync(u.Status, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MesosConnectionException or MesosHttpException or InvalidOperationException)
            {
                Log.AcknowledgeFailed(_logger, ex, u.Status.TaskId?.Value ?? "?");
            }
        }
    }

    private async Task<bool> DeliverAsync(Func<SchedulerEvent, CancellationToken, ValueTask> handler, SchedulerEvent ev, CancellationToken token)
    {
        try
        {
            await handler(ev, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex, ev.Name);
            return false;
        }
    }

    private void ObserveStatus(MesosTaskStatus status)
    {
        if (status.TaskId is not { } taskId)
        {
            return;
        }

        if (TaskStates.IsTerminal(status.State))
        {
            _knownTasks.TryRemove(taskId.Value, out _);
        }
        else
        {
            _knownTasks[taskId.Value] = status.AgentId;
        }

        lock (_reconcileGate)
        {
            if (_awaitingReconciliation.Remove(taskId.Value) && _awaitingReconciliation.Count == 0)
            {
                _allAnswered?.TrySetResult();
            }
        }
    }

    /// <summary>Trips <see cref="LeaderMove.Moved"/> when the detector reports a leader other than the master connected to.</summary>
    private async Task WatchLeaderAsync(IMasterDetector detector, LeaderMove move, CancellationToken token)
    {
        try
        {
            while (true)
            {
                var leader = MasterEndpoints.ToSchedulerEndpoint(await detector.WaitForLeaderChangeAsync(token).ConfigureAwait(false));
                if (move.Report(leader))
                {
                    await move.Moved.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The connection ended first.
        }
        catch (Exception ex)
        {
            // Never fatal: without change notifications the client still asks the detector before every connection attempt.
            Log.DetectorFailed(_logger, ex);
        }
    }

    private async Task<Connection> ConnectAsync(CancellationToken token)
    {
        var candidates = new List<Uri>();
        if (_options.MasterDetector is { } detector)
        {
            try
            {
                if (await detector.DetectLeaderAsync(token).ConfigureAwait(false) is { } leader)
                {
                    candidates.Add(MasterEndpoints.ToSchedulerEndpoint(leader));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Log.DetectorFailed(_logger, ex);
            }
        }

        if (_lastLeader is { } last)
        {
            candidates.Add(last);
        }

        candidates.AddRange(_masters);
        var errors = new List<string>();
        Exception? lastError = null;
        foreach (var candidate in candidates.Distinct())
        {
            var endpoint = candidate;
            for (var hop = 0; hop <= _options.MaxRedirects; hop++)
            {
                try
                {
                    var http = GetHttp(endpoint);
                    var call = SchedulerCalls.Subscribe(_options.Framework.ToFrameworkInfo(FrameworkId));
                    Log.Subscribing(_logger, endpoint, FrameworkId?.Value ?? "(new)");
                    var stream = await WithAuthRetryAsync(ct => http.SubscribeAsync<Event>(call, null, ct), token).ConfigureAwait(false);
                    _lastLeader = endpoint;
                    return new Connection(endpoint, http, stream);
                }
                catch (MesosHttpException ex) when (ex.StatusCode == HttpStatusCode.TemporaryRedirect && ex.RedirectLocation is { } leader)
                {
                    Log.Redirected(_logger, endpoint, leader);
                    endpoint = MasterEndpoints.ToSchedulerEndpoint(leader);
                }
                catch (Exception ex) when (ex is MesosHttpException or MesosConnectionException or HttpRequestException)
                {
                    // 503 (no leader yet, recovering), unreachable, or refused: try the next master.
                    Log.SubscribeFailed(_logger, endpoint, ex.Message);
                    errors.Add(ex.Message);
                    lastError = ex;
                    if (_lastLeader == endpoint)
                    {
                        _lastLeader = null;
                    }

                    break;
                }
            }
        }

        throw new SchedulerConnectionException("No master accepted SUBSCRIBE: " + string.Join("; ", errors), lastError);
    }

    private async Task<T> WithAuthRetryAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken token)
    {
        try
        {
            return await send(token).ConfigureAwait(false);
        }
        catch (MesosHttpException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized && _dcos is not null)
        {
            // The token expired or was revoked: log in again once.
            Log.Unauthorized(_logger);
            _dcos.Invalidate();
            return await send(token).ConfigureAwait(false);
        }
    }

    private MesosHttpClient GetHttp(Uri endpoint)
    {
        lock (_clients)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_clients.TryGetValue(endpoint, out var client))
            {
                client = new MesosHttpClient(new MesosHttpOptions
                {
                    Endpoint = endpoint,
                    Encoding = _options.Encoding,
                    CallTimeout = _options.CallTimeout,
                    Authorization = Authorization(),
                    ServerCertificateValidation = _options.Tls.ToValidationCallback(),
                });
                _clients[endpoint] = client;
            }

            return client;
        }
    }

    private Func<CancellationToken, ValueTask<string?>>? Authorization()
    {
        if (_dcos is { } dcos)
        {
            return dcos.GetHeaderAsync;
        }

        return _options.Credentials is { } credentials
            ? MesosAuthorization.Fixed(MesosAuthorization.Basic(credentials.Principal, credentials.Secret))
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _stoppedCurrent) is { } stopped)
        {
            try
            {
                await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The handler did not return; the connections are closed below anyway.
            }
        }

        lock (_clients)
        {
            _disposed = true;
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }

        _dcos?.Dispose();
        _stop.Dispose();
    }

    private sealed record Session(Uri Master, MesosHttpClient Http, string StreamId);

    /// <summary>
    /// One connection's view of leader changes. A leader reported while the connection is still being made is only a move
    /// if the connection ended up elsewhere: re-subscribing to the master just subscribed to would, before SUBSCRIBED gave
    /// the framework its id, register a second framework.
    /// </summary>
    private sealed class LeaderMove
    {
        private readonly Lock _gate = new();
        private Uri? _connectedTo;
        private Uri? _reportedWhileConnecting;

        /// <summary>Cancelled when the lead moved to <see cref="NewLeader"/>.</summary>
        public CancellationTokenSource Moved { get; } = new();

        public Uri? NewLeader { get; private set; }

        /// <summary>The connection is made; true when a leader reported meanwhile is another master (cancel <see cref="Moved"/>).</summary>
        public bool Connected(Uri endpoint)
        {
            lock (_gate)
            {
                _connectedTo = endpoint;
                if (_reportedWhileConnecting is { } leader && leader != endpoint)
                {
                    NewLeader = leader;
                    return true;
                }

                return false;
            }
        }

        /// <summary>The detector reports <paramref name="leader"/>; true when that is a move away from the connected master (cancel <see cref="Moved"/>).</summary>
        public bool Report(Uri leader)
        {
            lock (_gate)
            {
                if (_connectedTo is null)
                {
                    _reportedWhileConnecting = leader;
                    return false;
                }

                if (leader == _connectedTo)
                {
                    return false;
                }

                NewLeader = leader;
                return true;
            }
        }
    }

    private sealed class Connection(Uri endpoint, MesosHttpClient http, MesosEventStream<Event> stream) : IAsyncDisposable
    {
        public Uri Endpoint { get; } = endpoint;

        public MesosHttpClient Http { get; } = http;

        public MesosEventStream<Event> Stream { get; } = stream;

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}
