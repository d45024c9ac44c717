using Google.Protobuf;
using Mesos.Protocol.Http;

namespace Mesos.Scheduler.Lite.Seeds.MesosFramework;

/// <summary>
/// The shape of mesos-framework's <c>Scheduler</c>: the seed's options, its lower-case event names through <see cref="On"/>
/// (<c>subscribed</c> {frameworkId, mesosStreamId}, <c>offers</c>, <c>update</c>, <c>message</c> {agentId, executorId, data},
/// <c>heartbeat</c>, <c>ready</c>, <c>sent_*</c> per call, <c>task_launched</c>, <c>updated_task</c>, <c>removed_task</c>...),
/// and its methods, over <see cref="FrameworkScheduler"/>.
/// </summary>
public sealed class Scheduler : IAsyncDisposable
{
    private readonly Dictionary<string, List<Func<object?, ValueTask>>> _listeners = new(StringComparer.Ordinal);
    private readonly FrameworkScheduler _scheduler;
    private readonly List<IAsyncDisposable> _owned = [];

    public Scheduler(SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mapped = options.ToFrameworkSchedulerOptions(call => EmitAsync(SentEventName(call.Type), call));

        // What the mapping made for useZk / a zk:// masterUrl is ours to close; what the caller passed is not.
        if (options.StateStore is null && mapped.StateStore is IAsyncDisposable store)
        {
            _owned.Add(store);
        }

        if (options.MasterDetector is null && mapped.Client.MasterDetector is IAsyncDisposable detector)
        {
            _owned.Add(detector);
        }

        _scheduler = new FrameworkScheduler(mapped with
        {
            OnEvent = ev => EmitAsync(ev.Name.ToLowerInvariant(), Argument(ev)),
            OnTaskLaunched = task => EmitAsync("task_launched", task),
            OnTaskUpdated = update => EmitAsync("updated_task", new { taskId = update.TaskId, executorId = update.ExecutorId, state = TaskStates.ToProtocolName(update.State) }),
            OnTaskRemoved = taskId => EmitAsync("removed_task", taskId),
        });
    }

    /// <summary>The task manager underneath.</summary>
    public FrameworkScheduler Core => _scheduler;

    public void On(string eventName, Func<object?, ValueTask> listener)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        ArgumentNullException.ThrowIfNull(listener);
        if (!_listeners.TryGetValue(eventName, out var list))
        {
            _listeners[eventName] = list = [];
        }

        list.Add(listener);
    }

    /// <summary>Emits <c>ready</c>, then subscribes and runs until cancelled (the seed's <c>subscribe()</c>).</summary>
    public async Task SubscribeAsync(CancellationToken cancellationToken = default)
    {
        await EmitAsync("ready", null).ConfigureAwait(false);
        await _scheduler.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private SchedulerClient Client => _scheduler.Client ?? throw new InvalidOperationException("Call SubscribeAsync first");

    public Task<MesosCallResult> AcceptAsync(IEnumerable<OfferID> offerIds, IEnumerable<V1.Offer.Types.Operation> operations, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        Client.AcceptAsync(offerIds, operations, filters, cancellationToken);

    public Task<MesosCallResult> DeclineAsync(IEnumerable<OfferID> offerIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        Client.DeclineAsync(offerIds, filters, cancellationToken);

    public Task TeardownAsync(CancellationToken cancellationToken = default) => Client.TeardownAsync(cancellationToken);

    public Task<MesosCallResult> ReviveAsync(CancellationToken cancellationToken = default) => Client.ReviveAsync(null, cancellationToken);

    public Task<MesosCallResult> SuppressAsync(CancellationToken cancellationToken = default) => Client.SuppressAsync(null, cancellationToken);

    public Task<MesosCallResult> KillAsync(string taskId, string? agentId = null, CancellationToken cancellationToken = default) =>
        Client.KillAsync(new TaskID { Value = taskId }, agentId is null ? null : new AgentID { Value = agentId }, null, cancellationToken);

    public Task<MesosCallResult> ShutdownAsync(string agentId, string executorId, CancellationToken cancellationToken = default) =>
        Client.ShutdownAsync(new ExecutorID { Value = executorId }, new AgentID { Value = agentId }, cancellationToken);

    public Task AcknowledgeAsync(MesosTaskStatus status, CancellationToken cancellationToken = default) => Client.AcknowledgeAsync(status, cancellationToken);

    public Task<MesosCallResult> ReconcileAsync(string? taskId = null, string? agentId = null, CancellationToken cancellationToken = default) =>
        Client.ReconcileAsync(taskId is null ? null : [(new TaskID { Value = taskId }, agentId is null ? null : new AgentID { Value = agentId })], cancellationToken);

    public Task<MesosCallResult> MessageAsync(string agentId, string executorId, ByteString data, CancellationToken cancellationToken = default) =>
        Client.MessageAsync(new AgentID { Value = agentId }, new ExecutorID { Value = executorId }, data, cancellationToken);

    public Task<MesosCallResult> RequestAsync(IEnumerable<V1.Request> requests, CancellationToken cancellationToken = default) => Client.RequestAsync(requests, cancellationToken);

    public Task<MesosCallResult> AcceptInverseOffersAsync(IEnumerable<OfferID> offerIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        Client.AcceptInverseOffersAsync(offerIds, filters, cancellationToken);

    public Task<MesosCallResult> DeclineInverseOffersAsync(IEnumerable<OfferID> offerIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        Client.DeclineInverseOffersAsync(offerIds, filters, cancellationToken);

    public Task<MesosCallResult> AcknowledgeOperationStatusAsync(V1.OperationStatus status, CancellationToken cancellationToken = default) =>
        Client.AcknowledgeOperationStatusAsync(status, cancellationToken);

    public Task<MesosCallResult> ReconcileOperationsAsync(IEnumerable<Call.Types.ReconcileOperations.Types.Operation>? operations = null, CancellationToken cancellationToken = default) =>
        Client.ReconcileOperationsAsync(operations, cancellationToken);

    public IReadOnlyList<ManagedTask> GetRunningTasks() => _scheduler.GetRunningTasks();

    public Task SyncAsync(CancellationToken cancellationToken = default) => _scheduler.SyncAsync(cancellationToken);

    /// <summary>The seed's <c>scaling</c>.</summary>
    public Task ScalingAsync(string taskName, int instances, CancellationToken cancellationToken = default) => _scheduler.ScaleAsync(taskName, instances, cancellationToken);

    /// <summary>The seed's event name for a sent call: <c>sent_accept</c>, <c>sent_acknowledge_operation_status</c>...</summary>
    public static string SentEventName(Call.Types.Type type) =>
        "sent_" + (Call.Descriptor.EnumTypes[0].FindValueByNumber((int)type)?.Name ?? type.ToString()).ToLowerInvariant();

    private static object? Argument(SchedulerEvent ev) => ev switch
    {
        SubscribedEvent s => new { frameworkId = s.FrameworkId.Value, mesosStreamId = s.StreamId },
        MessageEvent m => new { agentId = m.AgentId.Value, executorId = m.ExecutorId.Value, data = m.Data.ToStringUtf8() },
        HeartbeatEvent h => h.ReceivedAt,
        _ => ev,
    };

    private async ValueTask EmitAsync(string name, object? argument)
    {
        if (_listeners.TryGetValue(name, out var listeners))
        {
            foreach (var listener in listeners)
            {
                await listener(argument).ConfigureAwait(false);
            }
        }

        // The seed spells SUPPRESS's notification "sent_supress"; emit that too so ported code keeps working.
        if (name == "sent_suppress" && _listeners.TryGetValue("sent_supress", out var misspelt))
        {
            foreach (var listener in misspelt)
            {
                await listener(argument).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
