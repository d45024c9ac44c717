using Mesos.ZooKeeper.Detection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// The leading master from ZooKeeper (mesoshttp's ZooKeeper detection; <c>--master=zk://.../mesos</c> in Mesos): the
/// <c>json.info_*</c> node with the lowest sequence number under the group, followed by a watch. Plug it into
/// <see cref="SchedulerClientOptions.MasterDetector"/>: the client asks it before every connection attempt and
/// re-subscribes at once when another master takes the lead. Mesos-DNS names (<c>http://leader.mesos:5050</c>) need no
/// detector: list them in <see cref="SchedulerClientOptions.Masters"/>.
/// The ZooKeeper session starts with the first question and ends with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class ZooKeeperMasterDetector : IMasterDetector, IAsyncDisposable
{
    private const string Scheme = "zk://";

    private readonly ZooKeeperMasterDetectorOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IMesosMasterDetector? _detector;
    private TaskCompletionSource<Uri> _nextChange = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    public ZooKeeperMasterDetector(ZooKeeperMasterDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)options.LoggerFactory?.CreateLogger<ZooKeeperMasterDetector>() ?? NullLogger<ZooKeeperMasterDetector>.Instance;
    }

    /// <summary>Whether <paramref name="master"/> is a <c>zk://</c> URL rather than a master's address.</summary>
    public static bool IsZooKeeperUrl(string? master) =>
        master is not null && master.TrimStart().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The leader as last seen (<c>http://host:port</c>), or null before one is found or while there is none.</summary>
    public Uri? Leader => Volatile.Read(ref _detector)?.Leader is { } leader ? ToUri(leader) : null;

    public async ValueTask<Uri?> DetectLeaderAsync(CancellationToken cancellationToken = default)
    {
        var detector = EnsureStarted();
        if (detector.Leader is { } known)
        {
            return ToUri(known);
        }

        using var wait = new CancellationTokenSource(_options.LeaderWaitTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
        try
        {
            return ToUri(await detector.WaitForLeaderAsync(linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task<Uri> WaitForLeaderChangeAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        lock (_gate)
        {
            return _nextChange.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        IMesosMasterDetector? detector;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            detector = _detector;
        }

        if (detector is not null)
        {
            await detector.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IMesosMasterDetector EnsureStarted()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_detector is null)
            {
                var url = ZooKeeperUrl.Parse(_options.Url);
                Log.DetectorStarted(_logger, url.ToString());
                Volatile.Write(ref _detector, MesosMasterDetector.Start(
                    new MesosMasterDetectorOptions
                    {
                        Url = _options.Url,
                        SessionTimeout = _options.SessionTimeout,
                        ConnectTimeout = _options.ConnectTimeout,
                        TimeProvider = _options.TimeProvider,
                        OnLeaderChanged = OnLeaderChanged,
                    },
                    _options.LoggerFactory));
            }

            return _detector;
        }
    }

    private ValueTask OnLeaderChanged(MesosLeaderChange change)
    {
        if (change.Current is not { } current)
        {
            Log.NoLeader(_logger);
            return ValueTask.CompletedTask;
        }

        Log.DetectedLeader(_logger, current.ToString());
        TaskCompletionSource<Uri> changed;
        lock (_gate)
        {
            changed = _nextChange;
            _nextChange = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult(ToUri(current));
        return ValueTask.CompletedTask;
    }

    private Uri ToUri(MesosMaster master) => new($"{_options.Scheme}://{master.Endpoint}");
}
