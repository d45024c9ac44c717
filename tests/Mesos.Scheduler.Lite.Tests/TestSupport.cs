using System.Threading.Channels;
using Mesos.Protocol.Encoding;

namespace Mesos.Scheduler.Lite.Tests;

internal static class TestSupport
{
    /// <summary>Bound on every wait in these tests: a bug fails instead of hanging.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    /// <summary>Client options for a fake master, with a backoff short enough for tests.</summary>
    public static SchedulerClientOptions ClientOptions(FakeMaster master, MesosEncoding encoding = MesosEncoding.Json) => new()
    {
        Masters = [master.BaseAddress],
        Encoding = encoding,
        Framework = new FrameworkOptions { Name = "test-framework", User = "nobody" },
        Backoff = new BackoffOptions { Minimum = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(100) },
        Reconciliation = new ReconciliationOptions { RetryMinimum = TimeSpan.FromMilliseconds(200), RetryMaximum = TimeSpan.FromSeconds(1), ImplicitInterval = null },
    };

    public static FrameworkSchedulerOptions SchedulerOptions(FakeMaster master, IReadOnlyDictionary<string, TaskSpec> tasks, MesosEncoding encoding = MesosEncoding.Json) => new()
    {
        Client = ClientOptions(master, encoding),
        Tasks = tasks,
        ReviveMinimumInterval = TimeSpan.Zero,
        RestartBackoff = new BackoffOptions { Minimum = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(50) },
    };

    public static TaskSpec Sleep(int instances, double cpus = 0.5, double mem = 128) => new()
    {
        Instances = instances,
        Command = new V1.CommandInfo { Value = "sleep 100", Shell = true },
        Resources = new ResourceRequirements { Cpus = cpus, Mem = mem, Ports = 1 },
    };

    /// <summary>Runs <paramref name="run"/> in the background; disposing cancels it and waits (bounded) for it to end.</summary>
    public static Running Start(Func<CancellationToken, Task> run)
    {
        var cts = new CancellationTokenSource();
        var task = Task.Run(() => run(cts.Token));
        return new Running(cts, task);
    }

    public sealed class Running(CancellationTokenSource cts, Task task) : IAsyncDisposable
    {
        public Task Task => task;

        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync();
            try
            {
                await task.WaitAsync(WaitLimit);
            }
            catch (OperationCanceledException)
            {
            }

            cts.Dispose();
        }
    }

    /// <summary>Collects events from a client handler so tests can wait for them.</summary>
    public sealed class EventLog
    {
        private readonly Channel<SchedulerEvent> _channel = Channel.CreateUnbounded<SchedulerEvent>();
        private readonly List<SchedulerEvent> _all = [];

        public IReadOnlyList<SchedulerEvent> All
        {
            get
            {
                lock (_all)
                {
                    return _all.ToArray();
                }
            }
        }

        public ValueTask Handle(SchedulerEvent ev, CancellationToken cancellationToken)
        {
            lock (_all)
            {
                _all.Add(ev);
            }

            _channel.Writer.TryWrite(ev);
            return ValueTask.CompletedTask;
        }

        public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null)
            where T : SchedulerEvent
        {
            using var cts = new CancellationTokenSource(WaitLimit);
            try
            {
                while (true)
                {
                    var ev = await _channel.Reader.ReadAsync(cts.Token);
                    if (ev is T t && (predicate is null || predicate(t)))
                    {
                        return t;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} within {WaitLimit}; got: {string.Join(", ", All.Select(e => e.Name))}");
            }
        }
    }
}
