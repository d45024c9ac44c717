using Mesos.Protocol.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// The task manager (mesos-framework's Scheduler, with its known bugs fixed): keeps every spec's instances running,
/// matches offers (several tasks per offer, offers of one agent combined, role and reservation aware), declines the
/// rest in one call with a long refuse filter, SUPPRESSes when nothing is pending and REVIVEs (rate-limited) when work
/// arrives, restarts failed tasks with backoff, scales at runtime, and remembers its framework id and tasks in a state
/// store so a restarted scheduler re-subscribes as the same framework and launches nothing twice.
/// </summary>
public sealed partial class FrameworkScheduler : IAsyncDisposable
{
    private readonly FrameworkSchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _instances = new(StringComparer.Ordinal);
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<string, (Slot Slot, ManagedTask Task)> _tasks = new(StringComparer.Ordinal);
    private SchedulerClient? _client;
    private bool _suppressed;
    private DateTimeOffset _lastRevive = DateTimeOffset.MinValue;
    private ITimer? _reviveTimer;
    private CancellationToken _runToken;

    public FrameworkScheduler(FrameworkSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = options.Client.TimeProvider;
        _logger = (ILogger?)options.Client.LoggerFactory?.CreateLogger<FrameworkScheduler>() ?? NullLogger<FrameworkScheduler>.Instance;
        foreach (var (name, spec) in options.Tasks)
        {
            _instances[name] = spec.Instances;
        }
    }

    public FrameworkSchedulerOptions Options => _options;

    /// <summary>The underlying client (for the raw calls); null before <see cref="RunAsync"/>.</summary>
    public SchedulerClient? Client => _client;

    /// <summary>Instances waiting for offers (including those waiting out a restart backoff).</summary>
    public int PendingCount
    {
        get
        {
            lock (_slots)
            {
                return _slots.Count(s => s.Pending);
            }
        }
    }

    /// <summary>True after SUPPRESS, until the next REVIVE.</summary>
    public bool IsSuppressed => _suppressed;

    /// <summary>Loads the state store, subscribes (as the stored framework when there is one) and runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_client is not null)
        {
            throw new InvalidOperationException("FrameworkScheduler.RunAsync was already called");
        }

        _runToken = cancellationToken;
        var state = await _options.StateStore.LoadAsync(cancellationToken).ConfigureAwait(false);
        var clientOptions = _options.Client;
        if (string.IsNullOrEmpty(clientOptions.Framework.FrameworkId) && state.FrameworkId is { Length: > 0 } stored)
        {
            clientOptions = clientOptions with { Framework = clientOptions.Framework with { FrameworkId = stored } };
        }

        var client = new SchedulerClient(clientOptions);
        _client = client;
        Restore(state);
        client.TrackTasks(state.Tasks.Select(t => (new TaskID { Value = t.TaskId }, t.AgentId is null ? null : new AgentID { Value = t.AgentId })));
        await client.RunAsync(HandleAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tasks in TASK_RUNNING (mesos-framework <c>getRunningTasks</c>).</summary>
    public IReadOnlyList<ManagedTask> GetRunningTasks() => GetTasks().Where(t => t.State == TaskState.TaskRunning).ToArray();

    /// <summary>Every tracked task.</summary>
    public IReadOnlyList<ManagedTask> GetTasks()
    {
        lock (_slots)
        {
            return _tasks.Values.Select(t => t.Task).OrderBy(t => t.SpecName, StringComparer.Ordinal).ThenBy(t => t.Serial).ToArray();
        }
    }

    /// <summary>Reconciles every tracked task (mesos-framework <c>sync</c>).</summary>
    public Task SyncAsync(CancellationToken cancellationToken = default) => RequireClient().ReconcileKnownTasksAsync(cancellationToken);

    /// <summary>Changes the number of instances of a spec that allows scaling (mesos-framework <c>scaling</c>): new ones are launched, extra ones killed.</summary>
    public async Task ScaleAsync(string specName, int instances, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        if (!_options.Tasks.TryGetValue(specName, out var spec))
        {
            throw new ArgumentException($"No task spec named '{specName}'", nameof(specName));
        }

        if (!spec.AllowScaling)
        {
            throw new InvalidOperationException($"Task spec '{specName}' does not allow scaling (set AllowScaling)");
        }

        List<ManagedTask> toKill;
        bool added;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_slots)
            {
                _instances[specName] = instances;
                added = EnsureSlots(specName) > 0;
                toKill = [];
                foreach (var slot in _slots.Where(s => s.Spec == specName && s.Serial > instances).ToArray())
                {
                    slot.Retired = true;
                    if (slot.Pending)
                    {
                        _slots.Remove(slot);
                    }
                    else
                    {
                        toKill.AddRange(slot.Live.Select(id => _tasks[id].Task));
                    }
                }
            }

            foreach (var task in toKill)
            {
                await KillAsync(task, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        if (added)
        {
            await RequestReviveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills one task; it is restarted only if its final state is in the restart states (TASK_KILLED is not, by default).</summary>
    public async Task KillTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ManagedTask? task;
        lock (_slots)
        {
            task = _tasks.TryGetValue(taskId, out var entry) ? entry.Task : null;
        }

        if (task is null)
        {
            throw new ArgumentException($"Task '{taskId}' is not tracked by this scheduler", nameof(taskId));
        }

        await KillAsync(task, cancellationToken).ConfigureAwait(false);
    }

    private Task<MesosCallResult> KillAsync(ManagedTask task, CancellationToken cancellationToken) =>
        RequireClient().KillAsync(new TaskID { Value = task.TaskId }, task.AgentId is null ? null : new AgentID { Value = task.AgentId }, null, cancellationToken);

    private SchedulerClient RequireClient() => _client ?? throw new InvalidOperationException("FrameworkScheduler.RunAsync has not been called");

    /// <summary>The built-in handling of one event; custom handlers in <see cref="FrameworkSchedulerOptions.Handlers"/> may call it to extend rather than replace it.</summary>
    public async ValueTask HandleBuiltInAsync(SchedulerEvent ev, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ev);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            switch (ev)
            {
                case SubscribedEvent subscribed:
                    await _options.StateStore.SaveFrameworkIdAsync(subscribed.FrameworkId.Value, cancellationToken).ConfigureAwait(false);
                    // Filters may outlive a failover; ask for offers again when there is work, else stay quiet.
                    _suppressed = false;
                    _lastRevive = DateTimeOffset.MinValue;
                    if (PendingCount > 0)
                    {
                        await ReviveNowAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await SuppressAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case OffersEvent offers:
                    await HandleOffersAsync(offers.Offers, cancellationToken).ConfigureAwait(false);
                    break;
                case UpdateEvent update:
                    await HandleUpdateAsync(update.Status, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask HandleAsync(SchedulerEvent ev, CancellationToken cancellationToken)
    {
        if (_options.OnEvent is { } observe)
        {
            await observe(ev).ConfigureAwait(false);
        }

        if (_options.Handlers.TryGetValue(ev.Name, out var custom))
        {
            await custom(ev, this, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await HandleBuiltInAsync(ev, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MesosConnectionException or MesosHttpException or InvalidOperationException && ev is not UpdateEvent)
        {
            // A failed ACCEPT/DECLINE/SUPPRESS is not fatal: the offers expire, the work stays pending, the next event retries.
            Log.CallFailed(_logger, ex, ev.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reviveTimer?.Dispose();
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private sealed class Slot(string spec, int serial)
    {
        public string Spec { get; } = spec;

        public int Serial { get; } = serial;

        public int Attempts { get; set; }

        public bool Pending { get; set; } = true;

        public DateTimeOffset NotBefore { get; set; } = DateTimeOffset.MinValue;

        public bool Retired { get; set; }

        public List<string> Live { get; } = [];

        public TaskState? LastTerminal { get; set; }
    }
}
