using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Detection;

/// <summary>The loop behind <see cref="IMesosMasterDetector"/>.</summary>
internal sealed class MasterDetector : IMesosMasterDetector
{
    private readonly MesosMasterDetectorOptions _options;
    private readonly ZooKeeperUrl _url;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private TaskCompletionSource<MesosMaster> _found = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MesosMaster? _leader;
    private int _disposed;

    public MasterDetector(MesosMasterDetectorOptions options, ZooKeeperUrl url, ILoggerFactory loggerFactory)
    {
        _options = options;
        _url = url;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<IMesosMasterDetector>();
        if (url.HadCredentials)
        {
            Log.CredentialsIgnored(_logger, url.ToString());
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public MesosMaster? Leader
    {
        get
        {
            lock (_gate)
            {
                return _leader;
            }
        }
    }

    public Task<MesosMaster> WaitForLeaderAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            return _found.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _found.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        IZooKeeperClient? client = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    client ??= await ZooKeeperClient.ConnectAsync(_options.ToClientOptions(_url), _loggerFactory, cancellationToken)
                        .ConfigureAwait(false);
                    await FollowAsync(client, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (SessionExpiredException)
                {
                    // A new session re-reads the group; the leader is kept until then (it most likely did not change).
                    Log.SessionExpired(_logger, _url.ToString());
                    if (client is not null)
                    {
                        await client.DisposeAsync().ConfigureAwait(false);
                        client = null;
                    }
                }
                catch (Exception exception)
                {
                    // Connection loss past ConnectTimeout and the like: the client keeps reconnecting; read again shortly.
                    Log.DetectionFailed(_logger, _url.ToString(), exception.Message);
                    try
                    {
                        await Task.Delay(Defaults.DetectorRetryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>List (with a child watch), read the leader, report a change, wait for the watch; forever.</summary>
    private async Task FollowAsync(IZooKeeperClient client, CancellationToken cancellationToken)
    {
        var path = _url.Path;
        while (true)
        {
            var fired = new TaskCompletionSource<ZooKeeperWatchEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            Func<ZooKeeperWatchEvent, ValueTask> watcher = e =>
            {
                fired.TrySetResult(e);
                return ValueTask.CompletedTask;
            };

            IReadOnlyList<string> children;
            try
            {
                children = await client.GetChildrenAsync(path, watcher, cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                // No master has registered yet: wait for the group node to appear.
                if (await client.ExistsAsync(path, watcher, cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }

                children = [];
            }

            MesosMaster? leader;
            try
            {
                (leader, var retry) = await MesosMasterDetector.ReadLeaderAsync(client, path, children, cancellationToken).ConfigureAwait(false);
                if (retry)
                {
                    continue;
                }
            }
            catch (FormatException exception)
            {
                // The lowest node holds no usable MasterInfo: there is no leader we can reach until the group changes.
                Log.UnusableLeader(_logger, exception.Message);
                leader = null;
            }

            await ReportAsync(leader).ConfigureAwait(false);
            var watchEvent = await fired.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (watchEvent.Type == ZooKeeperWatchEventType.SessionExpired)
            {
                throw new SessionExpiredException($"the ZooKeeper session watching {_url} expired");
            }
        }
    }

    private async Task ReportAsync(MesosMaster? leader)
    {
        MesosMaster? previous;
        lock (_gate)
        {
            previous = _leader;
            if (previous?.Node == leader?.Node && previous?.Endpoint == leader?.Endpoint)
            {
                return;
            }

            _leader = leader;
            if (_found.Task.IsCompleted)
            {
                // Later waiters get the new leader (or wait for one).
                _found = new TaskCompletionSource<MesosMaster>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (leader is not null)
            {
                _found.TrySetResult(leader);
            }
        }

        Log.LeaderChanged(_logger, previous?.ToString() ?? "none", leader?.ToString() ?? "none");
        if (_options.OnLeaderChanged is { } callback)
        {
            try
            {
                await callback(new MesosLeaderChange(previous, leader)).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.CallbackFailed(_logger, exception);
            }
        }
    }
}
