using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mesos.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// Keeps the scheduler state in ZooKeeper with mesos-framework's layout (<c>useZk</c>): under
/// <c>&lt;zkPrefix&gt;&lt;frameworkName&gt;</c>, the node <c>framework-id</c> holds the FrameworkID (UTF-8 text) and
/// <c>tasks/&lt;taskId&gt;</c> one JSON document per launched task; a removed task's node is deleted. All nodes are
/// persistent, so a restarted scheduler (on any host) resumes as the same framework with the same tasks.
/// </summary>
/// <remarks>
/// Writes are versioned: each one expects the version this store last saw, so a second instance of the same framework
/// writing the same nodes is detected (<see cref="InvalidOperationException"/>) instead of silently interleaved. A write
/// whose connection dropped is retried; an expired session is replaced by a new one.
/// </remarks>
public sealed class ZooKeeperStateStore : ISchedulerStateStore, IAsyncDisposable
{
    /// <summary>The node holding the framework id, under <see cref="Path"/>.</summary>
    public const string FrameworkIdNode = "framework-id";

    /// <summary>The node whose children are the tasks, under <see cref="Path"/>.</summary>
    public const string TasksNode = "tasks";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ZooKeeperStateStoreOptions _options;
    private readonly string _connectString;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);
    private IZooKeeperClient? _client;
    private bool _disposed;

    public ZooKeeperStateStore(ZooKeeperStateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _connectString = options.ConnectString();
        _logger = (ILogger?)options.LoggerFactory?.CreateLogger<ZooKeeperStateStore>() ?? NullLogger<ZooKeeperStateStore>.Instance;
    }

    /// <summary>mesos-framework's <c>zkUrl</c>, <c>zkPrefix</c> and <c>frameworkName</c>: state under <c>zkPrefix + frameworkName</c>.</summary>
    public static ZooKeeperStateStore ForFramework(string zkUrl, string zkPrefix, string frameworkName, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zkPrefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(frameworkName);
        return new ZooKeeperStateStore(new ZooKeeperStateStoreOptions { Connect = zkUrl, Path = zkPrefix + frameworkName, LoggerFactory = loggerFactory });
    }

    /// <summary>The node holding this framework's state.</summary>
    public string Path => _options.Path;

    /// <summary>The current session (tests end it from outside to prove the store recovers).</summary>
    internal ZooKeeperSession? Session => _client?.Session;

    private string FrameworkIdPath => $"{Path}/{FrameworkIdNode}";

    private string TasksPath => $"{Path}/{TasksNode}";

    public async ValueTask<SchedulerState> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithClientAsync(FrameworkIdPath, async client =>
            {
                string? frameworkId = null;
                var node = await TryGetAsync(client, FrameworkIdPath, cancellationToken).ConfigureAwait(false);
                if (node is not null)
                {
                    frameworkId = Encoding.UTF8.GetString(node.Data.Span);
                }

                IReadOnlyList<string> children;
                try
                {
                    children = await client.GetChildrenAsync(TasksPath, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (NoNodeException)
                {
                    children = [];
                }

                var tasks = new List<StoredTask>(children.Count);
                foreach (var child in children.Order(StringComparer.Ordinal))
                {
                    var path = TaskPath(child);
                    if (await TryGetAsync(client, path, cancellationToken).ConfigureAwait(false) is not { } data)
                    {
                        continue; // removed meanwhile
                    }

                    tasks.Add(Deserialize(path, data.Data));
                }

                return new SchedulerState(string.IsNullOrEmpty(frameworkId) ? null : frameworkId, tasks);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask SaveFrameworkIdAsync(string? frameworkId, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(frameworkId)
            ? DeleteAsync(FrameworkIdPath, cancellationToken)
            : WriteAsync(FrameworkIdPath, Encoding.UTF8.GetBytes(frameworkId), cancellationToken);

    public ValueTask SaveTaskAsync(StoredTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return WriteAsync(TaskPath(task.TaskId), JsonSerializer.SerializeToUtf8Bytes(task, Json), cancellationToken);
    }

    public ValueTask RemoveTaskAsync(string taskId, CancellationToken cancellationToken = default) => DeleteAsync(TaskPath(taskId), cancellationToken);

    /// <summary>Closes the ZooKeeper session; the state stays (every node is persistent).</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string TaskPath(string taskId)
    {
        // Mesos forbids '/' in ids too; a node name must also not be "." or "..".
        if (string.IsNullOrEmpty(taskId) || taskId.Contains('/', StringComparison.Ordinal) || taskId is "." or "..")
        {
            throw new ArgumentException($"Task id '{taskId}' cannot be a ZooKeeper node name (empty, '.', '..' or containing '/')", nameof(taskId));
        }

        return $"{TasksPath}/{taskId}";
    }

    private async ValueTask WriteAsync(string path, byte[] data, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WithClientAsync(path, async client =>
            {
                if (_versions.TryGetValue(path, out var version))
                {
                    try
                    {
                        var stat = await client.SetDataAsync(path, data, version, cancellationToken).ConfigureAwait(false);
                        _versions[path] = stat.Version;
                        return true;
                    }
                    catch (BadVersionException)
                    {
                        await AcceptIfOursAsync(client, path, data, cancellationToken).ConfigureAwait(false);
                        return true;
                    }
                    catch (NoNodeException)
                    {
                        _versions.Remove(path); // deleted behind our back: create it again
                    }
                }

                try
                {
                    await CreateWithParentsAsync(client, path, data, cancellationToken).ConfigureAwait(false);
                    _versions[path] = 0;
                }
                catch (NodeExistsException)
                {
                    // Created by an earlier attempt whose answer was lost, or left by a previous run we did not load.
                    var current = await client.GetDataAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                    var stat = await client.SetDataAsync(path, data, current.Stat.Version, cancellationToken).ConfigureAwait(false);
                    _versions[path] = stat.Version;
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The node's version moved: fine when it holds what we wrote (a retried write that had succeeded), a conflict otherwise.</summary>
    private async Task AcceptIfOursAsync(IZooKeeperClient client, string path, byte[] data, CancellationToken cancellationToken)
    {
        var current = await client.GetDataAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!current.Data.Span.SequenceEqual(data))
        {
            throw new InvalidOperationException(
                $"The ZooKeeper node {path} was changed by someone else (version {current.Stat.Version}); is a second instance of this framework " +
                "running with the same zkPrefix and framework name? Only one may run at a time.");
        }

        _versions[path] = current.Stat.Version;
    }

    private async ValueTask DeleteAsync(string path, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WithClientAsync(path, async client =>
            {
                try
                {
                    await client.DeleteAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (NoNodeException)
                {
                    // Already gone (or a retried delete that had succeeded).
                }

                _versions.Remove(path);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task CreateWithParentsAsync(IZooKeeperClient client, string path, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateAsync(path, data, ZooKeeperCreateMode.Persistent, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (NoNodeException)
        {
            // A parent is missing: create the chain, then the node.
        }

        var next = 0;
        while ((next = path.IndexOf('/', next + 1)) > 0)
        {
            try
            {
                await client.CreateAsync(path[..next], ReadOnlyMemory<byte>.Empty, ZooKeeperCreateMode.Persistent, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeExistsException)
            {
                // Already there.
            }
        }

        await client.CreateAsync(path, data, ZooKeeperCreateMode.Persistent, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ZooKeeperNodeData?> TryGetAsync(IZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetDataAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    private static StoredTask Deserialize(string path, ReadOnlyMemory<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredTask>(data.Span, Json)
                   ?? throw new InvalidDataException($"The ZooKeeper node {path} holds JSON null instead of a stored task; delete the node");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The ZooKeeper node {path} does not hold a stored task ({ex.Message}); fix or delete the node", ex);
        }
    }

    /// <summary>Runs <paramref name="operation"/> with a live session: retried after a lost connection, on a new session after expiry.</summary>
    private async Task<T> WithClientAsync<T>(string path, Func<IZooKeeperClient, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await operation(client).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectionLossException or SessionExpiredException && attempt < Defaults.ZooKeeperWriteAttempts)
            {
                if (ex is SessionExpiredException || client.State is ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed)
                {
                    Log.StateStoreSessionExpired(_logger);
                    _client = null;
                    await client.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    Log.StateStoreRetry(_logger, path, attempt + 1);
                }
            }
        }
    }

    private async Task<IZooKeeperClient> GetClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { State: not (ZooKeeperSessionState.Expired or ZooKeeperSessionState.Closed) } live)
        {
            return live;
        }

        if (_client is { } dead)
        {
            Log.StateStoreSessionExpired(_logger);
            _client = null;
            await dead.DisposeAsync().ConfigureAwait(false);
        }

        _client = await ZooKeeperClient.ConnectAsync(
            new ZooKeeperClientOptions
            {
                ConnectString = _connectString,
                SessionTimeout = _options.SessionTimeout,
                ConnectTimeout = _options.ConnectTimeout,
                TimeProvider = _options.TimeProvider,
            },
            _options.LoggerFactory,
            cancellationToken).ConfigureAwait(false);
        Log.StateStoreConnected(_logger, _connectString, Path);
        return _client;
    }
}
