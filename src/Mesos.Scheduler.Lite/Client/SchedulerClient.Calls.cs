using Google.Protobuf;
using Mesos.Protocol.Http;

namespace Mesos.Scheduler.Lite;

public sealed partial class SchedulerClient
{
    private const string StreamIdHeader = "Mesos-Stream-Id";

    /// <summary>
    /// Sends any call but SUBSCRIBE to the master the client is subscribed to, with its <c>Mesos-Stream-Id</c>; fills in
    /// the framework id when the call has none.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not subscribed right now (the client is connecting or reconnecting).</exception>
    /// <exception cref="MesosHttpException">The master refused the call (its text is kept).</exception>
    /// <exception cref="MesosConnectionException">The master could not be reached.</exception>
    public async Task<MesosCallResult> SendAsync(Call call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Type == Call.Types.Type.Subscribe)
        {
            throw new ArgumentException("SUBSCRIBE is sent by RunAsync, not by SendAsync", nameof(call));
        }

        var session = Volatile.Read(ref _session)
            ?? throw new InvalidOperationException($"Cannot send {call.Type}: the scheduler is not subscribed to a master right now (it reconnects by itself)");
        if (call.FrameworkId is null && FrameworkId is { } frameworkId)
        {
            call.FrameworkId = frameworkId.Clone();
        }

        var headers = new Dictionary<string, string> { [StreamIdHeader] = session.StreamId };
        var result = await WithAuthRetryAsync(ct => session.Http.CallAsync(call, headers, ct), cancellationToken).ConfigureAwait(false);
        if (call.Type == Call.Types.Type.Accept && call.Accept is { } accept)
        {
            TrackLaunches(accept);
        }

        if (_options.OnCallSent is { } sent)
        {
            await sent(call).ConfigureAwait(false);
        }

        return result;
    }

    private FrameworkID RequireFrameworkId() =>
        FrameworkId ?? throw new InvalidOperationException("The scheduler has no framework id yet: wait for SUBSCRIBED");

    public Task TeardownAsync(CancellationToken cancellationToken = default) => TeardownCoreAsync(cancellationToken);

    private async Task TeardownCoreAsync(CancellationToken cancellationToken)
    {
        await SendAsync(SchedulerCalls.Teardown(RequireFrameworkId()), cancellationToken).ConfigureAwait(false);
        _knownTasks.Clear();
        await _stop.CancelAsync().ConfigureAwait(false);
    }

    public Task<MesosCallResult> AcceptAsync(IEnumerable<OfferID> offerIds, IEnumerable<V1.Offer.Types.Operation> operations, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Accept(RequireFrameworkId(), offerIds, operations, filters), cancellationToken);

    public Task<MesosCallResult> DeclineAsync(IEnumerable<OfferID> offerIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Decline(RequireFrameworkId(), offerIds, filters), cancellationToken);

    public Task<MesosCallResult> ReviveAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Revive(RequireFrameworkId(), roles), cancellationToken);

    public Task<MesosCallResult> SuppressAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Suppress(RequireFrameworkId(), roles), cancellationToken);

    public Task<MesosCallResult> KillAsync(TaskID taskId, AgentID? agentId = null, V1.KillPolicy? killPolicy = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Kill(RequireFrameworkId(), taskId, agentId, killPolicy), cancellationToken);

    public Task<MesosCallResult> ShutdownAsync(ExecutorID executorId, AgentID agentId, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Shutdown(RequireFrameworkId(), executorId, agentId), cancellationToken);

    /// <summary>Acknowledges a status update (those without uuid need none: this returns at once for them).</summary>
    public async Task AcknowledgeAsync(MesosTaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!status.HasUuid || status.Uuid.IsEmpty)
        {
            return;
        }

        if (status.AgentId is null)
        {
            throw new ArgumentException($"The status of task {status.TaskId?.Value} has a uuid but no agent_id; it cannot be acknowledged", nameof(status));
        }

        await SendAsync(SchedulerCalls.Acknowledge(RequireFrameworkId(), status.AgentId, status.TaskId, status.Uuid), cancellationToken).ConfigureAwait(false);
    }

    public Task<MesosCallResult> AcknowledgeOperationStatusAsync(V1.OperationStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        return SendAsync(
            SchedulerCalls.AcknowledgeOperationStatus(RequireFrameworkId(), status.AgentId, status.ResourceProviderId, status.Uuid?.Value ?? ByteString.Empty, status.OperationId),
            cancellationToken);
    }

    /// <summary>RECONCILE: explicit for <paramref name="tasks"/>, implicit when empty or null.</summary>
    public Task<MesosCallResult> ReconcileAsync(IEnumerable<(TaskID TaskId, AgentID? AgentId)>? tasks = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Reconcile(RequireFrameworkId(), tasks), cancellationToken);

    /// <summary>RECONCILE_OPERATIONS: the master answers 200 with a Response holding the operations' statuses.</summary>
    public Task<MesosCallResult> ReconcileOperationsAsync(IEnumerable<Call.Types.ReconcileOperations.Types.Operation>? operations = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.ReconcileOperations(RequireFrameworkId(), operations), cancellationToken);

    public Task<MesosCallResult> MessageAsync(AgentID agentId, ExecutorID executorId, ByteString data, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Message(RequireFrameworkId(), agentId, executorId, data), cancellationToken);

    public Task<MesosCallResult> RequestAsync(IEnumerable<V1.Request> requests, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.Request(RequireFrameworkId(), requests), cancellationToken);

    public Task<MesosCallResult> AcceptInverseOffersAsync(IEnumerable<OfferID> inverseOfferIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.AcceptInverseOffers(RequireFrameworkId(), inverseOfferIds, filters), cancellationToken);

    public Task<MesosCallResult> DeclineInverseOffersAsync(IEnumerable<OfferID> inverseOfferIds, V1.Filters? filters = null, CancellationToken cancellationToken = default) =>
        SendAsync(SchedulerCalls.DeclineInverseOffers(RequireFrameworkId(), inverseOfferIds, filters), cancellationToken);

    /// <summary>UPDATE_FRAMEWORK with the configured FrameworkInfo changed by <paramref name="change"/> (roles, capabilities, labels...).</summary>
    public Task<MesosCallResult> UpdateFrameworkAsync(V1.FrameworkInfo frameworkInfo, IEnumerable<string>? suppressedRoles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameworkInfo);
        var info = frameworkInfo.Clone();
        info.Id ??= RequireFrameworkId().Clone();
        return SendAsync(SchedulerCalls.UpdateFramework(info, suppressedRoles), cancellationToken);
    }

    private void TrackLaunches(Call.Types.Accept accept)
    {
        foreach (var operation in accept.Operations)
        {
            var tasks = operation.Type switch
            {
                V1.Offer.Types.Operation.Types.Type.Launch => operation.Launch?.TaskInfos.AsEnumerable(),
                V1.Offer.Types.Operation.Types.Type.LaunchGroup => operation.LaunchGroup?.TaskGroup?.Tasks.AsEnumerable(),
                _ => null,
            };
            foreach (var task in tasks ?? [])
            {
                _knownTasks.TryAdd(task.TaskId.Value, task.AgentId);
            }
        }
    }
}
