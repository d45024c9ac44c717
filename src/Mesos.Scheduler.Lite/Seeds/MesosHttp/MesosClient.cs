using Google.Protobuf;
using Mesos.Protocol.Http;
using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite.Seeds.MesosHttp;

/// <summary>
/// The shape of mesoshttp's <c>MesosClient</c>, over <see cref="SchedulerClient"/>. Register callbacks with
/// <see cref="On"/> (event names as constants here), then <see cref="RegisterAsync"/> runs the connection.
/// Callbacks get: SUBSCRIBED a <see cref="SubscribedInfo"/> (with the driver), OFFERS a list of <see cref="Offer"/>,
/// UPDATE an <see cref="Update"/> (call <see cref="Update.AckAsync"/>, as in mesoshttp), the others their typed event.
/// </summary>
public sealed class MesosClient : IAsyncDisposable
{
    public const string Subscribed = "SUBSCRIBED";
    public const string Offers = "OFFERS";
    public const string InverseOffers = "INVERSE_OFFERS";
    public const string Rescind = "RESCIND";
    public const string RescindInverseOffer = "RESCIND_INVERSE_OFFER";
    public const string UpdateEventName = "UPDATE";
    public const string UpdateOperationStatus = "UPDATE_OPERATION_STATUS";
    public const string Message = "MESSAGE";
    public const string Failure = "FAILURE";
    public const string Error = "ERROR";
    public const string Heartbeat = "HEARTBEAT";
    public const string Disconnected = "DISCONNECTED";
    public const string Reconnected = "RECONNECTED";

    private readonly Dictionary<string, List<Func<object, ValueTask>>> _callbacks = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<Uri> _masters;
    private readonly string? _zooKeeperUrl;
    private ZooKeeperMasterDetector? _detector;
    private readonly int _maxReconnect;
    private FrameworkOptions _framework;
    private BasicCredentials? _credentials;
    private DcosServiceAccount? _serviceAccount;
    private TlsOptions _tls = TlsOptions.Default;
    private SchedulerClient? _client;

    /// <param name="mesosUrls">
    /// mesoshttp <c>mesos_urls</c>: masters, tried in order; one of them may be a <c>zk://host:2181,host2:2181/mesos</c> URL,
    /// whose leader is then tried first and followed (mesoshttp's ZooKeeper detection).
    /// </param>
    /// <param name="frameworkId">Reuse this framework id; null declares a new framework.</param>
    /// <param name="maxReconnect">mesoshttp <c>max_reconnect</c>: consecutive failed connection attempts before <see cref="RegisterAsync"/> returns.</param>
    public MesosClient(IEnumerable<string> mesosUrls, string? frameworkId = null, string frameworkName = "Mesos HTTP framework", string frameworkUser = "root",
        string frameworkHostname = "", string frameworkWebUI = "", int maxReconnect = 3)
    {
        ArgumentNullException.ThrowIfNull(mesosUrls);
        var urls = mesosUrls.ToArray();
        var zooKeeper = urls.Where(ZooKeeperMasterDetector.IsZooKeeperUrl).ToArray();
        if (zooKeeper.Length > 1)
        {
            throw new ArgumentException("mesos_urls holds more than one zk:// URL; list every ZooKeeper server in one: zk://zk1:2181,zk2:2181/mesos", nameof(mesosUrls));
        }

        _masters = urls.Where(u => !ZooKeeperMasterDetector.IsZooKeeperUrl(u)).Select(MasterEndpoints.ToSchedulerEndpoint).ToArray();
        if (zooKeeper.Length == 1)
        {
            _zooKeeperUrl = zooKeeper[0];
            new ZooKeeperMasterDetectorOptions { Url = _zooKeeperUrl }.Validate(); // a bad URL fails here, not at RegisterAsync
        }

        _maxReconnect = maxReconnect;
        _framework = new FrameworkOptions
        {
            FrameworkId = frameworkId,
            Name = frameworkName,
            User = frameworkUser,
            Hostname = frameworkHostname,
            WebUiUrl = frameworkWebUI,
        };
    }

    /// <summary>Backoff, time and logging of the underlying client (not in mesoshttp; tests shorten the backoff).</summary>
    public SchedulerClientOptions? ClientOptions { get; set; }

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>mesoshttp <c>frameworkId</c> after SUBSCRIBED.</summary>
    public string? FrameworkId => _client?.FrameworkId?.Value ?? _framework.FrameworkId;

    /// <summary>Registers a callback; several per event are called in order.</summary>
    public void On(string eventName, Func<object, ValueTask> callback)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        ArgumentNullException.ThrowIfNull(callback);
        if (!_callbacks.TryGetValue(eventName, out var list))
        {
            _callbacks[eventName] = list = [];
        }

        list.Add(callback);
    }

    public void SetRole(string roleName) => _framework = _framework with { Roles = [roleName] };

    public void SetCredentials(string principal, string secret)
    {
        _credentials = new BasicCredentials(principal, secret);
        _framework = _framework with { Principal = principal };
    }

    /// <summary>DC/OS service account; <paramref name="verify"/> false (mesoshttp's default) skips TLS verification.</summary>
    public void SetServiceAccount(DcosServiceAccount serviceSecret, bool verify = false)
    {
        _serviceAccount = serviceSecret;
        _tls = _tls with { VerifyServerCertificate = verify };
        _framework = _framework with { Principal = serviceSecret.Uid };
    }

    public void SetFailoverTimeout(TimeSpan timeout) => _framework = _framework with { FailoverTimeout = timeout };

    public void SetCheckpoint(bool doCheckpoint) => _framework = _framework with { Checkpoint = doCheckpoint };

    /// <summary>Adds a capability by its protocol name (<c>GPU_RESOURCES</c>).</summary>
    public void AddCapability(string capability)
    {
        var value = V1.FrameworkInfo.Types.Capability.Descriptor.EnumTypes[0].FindValueByName(capability.Trim().ToUpperInvariant())
                    ?? throw new ArgumentException($"'{capability}' is not a framework capability (e.g. GPU_RESOURCES)", nameof(capability));
        _framework = _framework with { Capabilities = [.. _framework.Capabilities, (V1.FrameworkInfo.Types.Capability.Types.Type)value.Number] };
    }

    /// <summary>The leading master's info, or null when not connected.</summary>
    public V1.MasterInfo? GetMasterInfo() => _client is { IsSubscribed: true } client ? client.MasterInfo : null;

    /// <summary>The driver, once subscribed.</summary>
    public SchedulerDriver? GetDriver() => _client is { } client && client.FrameworkId is not null ? new SchedulerDriver(client) : null;

    /// <summary>
    /// Connects and runs until <see cref="DisconnectFrameworkAsync"/>, <see cref="TearDownAsync"/> or cancellation; false when no
    /// master could ever be subscribed to within <c>max_reconnect</c> attempts.
    /// </summary>
    public async Task<bool> RegisterAsync(CancellationToken cancellationToken = default)
    {
        var baseOptions = ClientOptions ?? new SchedulerClientOptions { Masters = _masters };
        if (_zooKeeperUrl is not null && baseOptions.MasterDetector is null)
        {
            _detector ??= new ZooKeeperMasterDetector(new ZooKeeperMasterDetectorOptions
            {
                Url = _zooKeeperUrl,
                LoggerFactory = LoggerFactory ?? baseOptions.LoggerFactory,
                TimeProvider = baseOptions.TimeProvider,
            });
        }

        var options = baseOptions with
        {
            Masters = _masters,
            Framework = _framework,
            Credentials = _credentials,
            ServiceAccount = _serviceAccount,
            Tls = _tls,
            MaxReconnect = _maxReconnect,
            Acknowledgement = AcknowledgementMode.Explicit,
            MasterDetector = baseOptions.MasterDetector ?? _detector,
            LoggerFactory = LoggerFactory ?? baseOptions.LoggerFactory,
        };
        _client = new SchedulerClient(options);
        try
        {
            await _client.RunAsync(DispatchAsync, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SchedulerConnectionException ex)
        {
            return ex.WasEverSubscribed;
        }
    }

    /// <summary>Stops without TEARDOWN: tasks keep running and the framework may reconnect (mesoshttp <c>disconnect_framework</c>).</summary>
    public Task DisconnectFrameworkAsync() => _client?.DisconnectAsync() ?? Task.CompletedTask;

    /// <summary>TEARDOWN and stop.</summary>
    public Task TearDownAsync(CancellationToken cancellationToken = default) => _client?.TeardownAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Accepts several offers (of one agent) with the given tasks in one ACCEPT (mesoshttp <c>combine_offers</c>).</summary>
    public Task<MesosCallResult> CombineOffersAsync(IEnumerable<V1.Offer> offers, IEnumerable<V1.TaskInfo> operations, V1.Filters? options = null, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("MesosClient is not registered");
        return client.AcceptAsync(offers.Select(o => o.Id), [ExecutorShipping.Launch(operations)], options, cancellationToken);
    }

    private async ValueTask DispatchAsync(SchedulerEvent ev, CancellationToken cancellationToken)
    {
        if (!_callbacks.TryGetValue(ev.Name, out var callbacks))
        {
            return;
        }

        var client = _client!;
        object argument = ev switch
        {
            SubscribedEvent s => new SubscribedInfo(s, new SchedulerDriver(client)),
            OffersEvent o => o.Offers.Select(offer => new Offer(client, offer)).ToArray(),
            UpdateEvent u => new Update(client, u.Status),
            _ => ev,
        };
        foreach (var callback in callbacks)
        {
            await callback(argument).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        if (_detector is not null)
        {
            await _detector.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>mesoshttp's SUBSCRIBED callback argument: the event and the driver.</summary>
public sealed record SubscribedInfo(SubscribedEvent Event, SchedulerDriver Driver)
{
    public string FrameworkId => Event.FrameworkId.Value;
}

/// <summary>mesoshttp's <c>SchedulerDriver</c>: calls that need no offer.</summary>
public sealed class SchedulerDriver
{
    private readonly SchedulerClient _client;

    internal SchedulerDriver(SchedulerClient client) => _client = client;

    public string? FrameworkId => _client.FrameworkId?.Value;

    public string? StreamId => _client.StreamId;

    public Task<MesosCallResult> KillAsync(string agentId, string taskId, CancellationToken cancellationToken = default) =>
        _client.KillAsync(new TaskID { Value = taskId }, new AgentID { Value = agentId }, null, cancellationToken);

    /// <summary>mesoshttp's <c>message</c> takes the data base64-encoded.</summary>
    public Task<MesosCallResult> MessageAsync(string agentId, string executorId, string message, CancellationToken cancellationToken = default) =>
        _client.MessageAsync(new AgentID { Value = agentId }, new ExecutorID { Value = executorId }, ByteString.FromBase64(message), cancellationToken);

    public Task<MesosCallResult> ReconcileAsync(IEnumerable<(string AgentId, string TaskId)> tasks, CancellationToken cancellationToken = default) =>
        _client.ReconcileAsync(tasks.Select(t => (new TaskID { Value = t.TaskId }, (AgentID?)new AgentID { Value = t.AgentId })), cancellationToken);

    public Task<MesosCallResult> RequestAsync(IEnumerable<V1.Request> requests, CancellationToken cancellationToken = default) =>
        _client.RequestAsync(requests, cancellationToken);

    public Task<MesosCallResult> ReviveAsync(CancellationToken cancellationToken = default) => _client.ReviveAsync(null, cancellationToken);

    public Task<MesosCallResult> ShutdownAsync(string agentId, string executorId, CancellationToken cancellationToken = default) =>
        _client.ShutdownAsync(new ExecutorID { Value = executorId }, new AgentID { Value = agentId }, cancellationToken);

    public Task TearDownAsync(CancellationToken cancellationToken = default) => _client.TeardownAsync(cancellationToken);
}

/// <summary>mesoshttp's <c>Offer</c>: accept with tasks, or decline.</summary>
public sealed class Offer
{
    private readonly SchedulerClient _client;

    internal Offer(SchedulerClient client, V1.Offer offer)
    {
        _client = client;
        Value = offer;
    }

    public V1.Offer Value { get; }

    public V1.Offer GetOffer() => Value;

    public Task<MesosCallResult> AcceptAsync(IEnumerable<V1.TaskInfo> operations, V1.Filters? options = null, CancellationToken cancellationToken = default) =>
        _client.AcceptAsync([Value.Id], [ExecutorShipping.Launch(operations)], options, cancellationToken);

    public Task<MesosCallResult> DeclineAsync(V1.Filters? options = null, CancellationToken cancellationToken = default) =>
        _client.DeclineAsync([Value.Id], options, cancellationToken);
}

/// <summary>mesoshttp's <c>Update</c>: the status, acknowledged when the application says so.</summary>
public sealed class Update
{
    private readonly SchedulerClient _client;

    internal Update(SchedulerClient client, MesosTaskStatus status)
    {
        _client = client;
        Status = status;
    }

    public MesosTaskStatus Status { get; }

    public Task AckAsync(CancellationToken cancellationToken = default) => _client.AcknowledgeAsync(Status, cancellationToken);
}
