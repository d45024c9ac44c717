using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Infrastructure;

/// <summary>Helpers for tests against the real server: clients with logs in the test output, and a fresh root node per test.</summary>
public abstract class ZooKeeperTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected ITestOutputHelper Output { get; } = output;

    protected ILoggerFactory LoggerFactory { get; } = new TestOutputLoggerFactory(output);

    /// <summary>A node of this test's own (<c>/t-xxxxxxxx</c>), so tests can share a server and run in parallel.</summary>
    protected string Root { get; } = "/t-" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync().AsTask().Within();
        }
    }

    /// <summary>A client disposed with the test (disposing twice is fine).</summary>
    protected async Task<IZooKeeperClient> ConnectAsync(
        string? connectString = null, Func<ZooKeeperClientOptions, ZooKeeperClientOptions>? configure = null)
    {
        var options = new ZooKeeperClientOptions { ConnectString = connectString ?? ZooKeeperTestServer.ConnectString };
        if (configure is not null)
        {
            options = configure(options);
        }

        var client = await ZooKeeperClient.ConnectAsync(options, LoggerFactory).Within();
        _owned.Add(client);
        return client;
    }

    /// <summary>A client whose every root is <see cref="Root"/>, which is created first.</summary>
    protected async Task<IZooKeeperClient> ConnectInRootAsync(Func<ZooKeeperClientOptions, ZooKeeperClientOptions>? configure = null)
    {
        await EnsureRootAsync();
        return await ConnectAsync(ZooKeeperTestServer.ConnectString + Root, configure);
    }

    protected async Task EnsureRootAsync()
    {
        var admin = await ConnectAsync();
        try
        {
            await admin.CreateAsync(Root, ReadOnlyMemory<byte>.Empty).Within();
        }
        catch (NodeExistsException)
        {
            // Already there.
        }
    }

    protected T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}

/// <summary>Records a client's session state changes, for awaiting a given state (bounded).</summary>
internal sealed class SessionStateRecorder
{
    private readonly Channel<ZooKeeperSessionStateChange> _changes = Channel.CreateUnbounded<ZooKeeperSessionStateChange>();

    public Func<ZooKeeperSessionStateChange, ValueTask> Callback => change =>
    {
        _changes.Writer.TryWrite(change);
        return ValueTask.CompletedTask;
    };

    /// <summary>Reads changes until one with <paramref name="state"/> arrives, and returns it.</summary>
    public async Task<ZooKeeperSessionStateChange> WaitForAsync(ZooKeeperSessionState state, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        while (true)
        {
            ZooKeeperSessionStateChange change;
            try
            {
                change = await _changes.Reader.ReadAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the session never reached {state}");
            }

            if (change.State == state)
            {
                return change;
            }
        }
    }
}

/// <summary>A watcher that counts its calls and lets a test await the first one (bounded).</summary>
internal sealed class WatchProbe
{
    private readonly TaskCompletionSource<ZooKeeperWatchEvent> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Func<ZooKeeperWatchEvent, ValueTask> Watcher => e =>
    {
        Interlocked.Increment(ref _calls);
        _first.TrySetResult(e);
        return ValueTask.CompletedTask;
    };

    public Task<ZooKeeperWatchEvent> Fired => _first.Task.Within();

    public bool HasFired => _first.Task.IsCompleted;
}
