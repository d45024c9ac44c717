using Google.Protobuf;
using Type = Mesos.V1.Scheduler.Call.Types.Type;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// Builders for the 17 scheduler calls, named after the protocol verbs. Each returns a complete <see cref="Call"/>
/// (type, the matching sub-message, the framework id) ready for <see cref="SchedulerClient.SendAsync"/>.
/// </summary>
public static class SchedulerCalls
{
    public static Call Subscribe(V1.FrameworkInfo frameworkInfo, IEnumerable<string>? suppressedRoles = null)
    {
        ArgumentNullException.ThrowIfNull(frameworkInfo);
        var subscribe = new Call.Types.Subscribe { FrameworkInfo = frameworkInfo };
        if (suppressedRoles is not null)
        {
            subscribe.SuppressedRoles.AddRange(suppressedRoles);
        }

        var call = new Call { Type = Type.Subscribe, Subscribe = subscribe };
        if (frameworkInfo.Id is { } id)
        {
            // The master rejects a SUBSCRIBE whose framework_id differs from subscribe.framework_info.id.
            call.FrameworkId = id.Clone();
        }

        return call;
    }

    public static Call Teardown(FrameworkID frameworkId) => New(frameworkId, Type.Teardown);

    public static Call Accept(FrameworkID frameworkId, IEnumerable<OfferID> offerIds, IEnumerable<V1.Offer.Types.Operation> operations, V1.Filters? filters = null)
    {
        var accept = new Call.Types.Accept { Filters = filters };
        accept.OfferIds.AddRange(offerIds);
        accept.Operations.AddRange(operations);
        var call = New(frameworkId, Type.Accept);
        call.Accept = accept;
        return call;
    }

    public static Call Decline(FrameworkID frameworkId, IEnumerable<OfferID> offerIds, V1.Filters? filters = null)
    {
        var decline = new Call.Types.Decline { Filters = filters };
        decline.OfferIds.AddRange(offerIds);
        var call = New(frameworkId, Type.Decline);
        call.Decline = decline;
        return call;
    }

    public static Call Revive(FrameworkID frameworkId, IEnumerable<string>? roles = null)
    {
        var revive = new Call.Types.Revive();
        if (roles is not null)
        {
            revive.Roles.AddRange(roles);
        }

        var call = New(frameworkId, Type.Revive);
        call.Revive = revive;
        return call;
    }

    public static Call Suppress(FrameworkID frameworkId, IEnumerable<string>? roles = null)
    {
        var suppress = new Call.Types.Suppress();
        if (roles is not null)
        {
            suppress.Roles.AddRange(roles);
        }

        var call = New(frameworkId, Type.Suppress);
        call.Suppress = suppress;
        return call;
    }

    public static Call Kill(FrameworkID frameworkId, TaskID taskId, AgentID? agentId = null, V1.KillPolicy? killPolicy = null)
    {
        var call = New(frameworkId, Type.Kill);
        call.Kill = new Call.Types.Kill { TaskId = taskId, AgentId = agentId, KillPolicy = killPolicy };
        return call;
    }

    public static Call Shutdown(FrameworkID frameworkId, ExecutorID executorId, AgentID agentId)
    {
        var call = New(frameworkId, Type.Shutdown);
        call.Shutdown = new Call.Types.Shutdown { ExecutorId = executorId, AgentId = agentId };
        return call;
    }

    public static Call Acknowledge(FrameworkID frameworkId, AgentID agentId, TaskID taskId, ByteString uuid)
    {
        var call = New(frameworkId, Type.Acknowledge);
        call.Acknowledge = new Call.Types.Acknowledge { AgentId = agentId, TaskId = taskId, Uuid = uuid };
        return call;
    }

    public static Call AcknowledgeOperationStatus(FrameworkID frameworkId, AgentID? agentId, V1.ResourceProviderID? resourceProviderId, ByteString uuid, V1.OperationID operationId)
    {
        var call = New(frameworkId, Type.AcknowledgeOperationStatus);
        call.AcknowledgeOperationStatus = new Call.Types.AcknowledgeOperationStatus
        {
            AgentId = agentId,
            ResourceProviderId = resourceProviderId,
            Uuid = uuid,
            OperationId = operationId,
        };
        return call;
    }

    /// <summary>RECONCILE: explicit for the given tasks; with none, implicit (the master answers for every task it knows).</summary>
    public static Call Reconcile(FrameworkID frameworkId, IEnumerable<(TaskID TaskId, AgentID? AgentId)>? tasks = null)
    {
        var reconcile = new Call.Types.Reconcile();
        if (tasks is not null)
        {
            reconcile.Tasks.AddRange(tasks.Select(t => new Call.Types.Reconcile.Types.Task { TaskId = t.TaskId, AgentId = t.AgentId }));
        }

        var call = New(frameworkId, Type.Reconcile);
        call.Reconcile = reconcile;
        return call;
    }

    public static Call ReconcileOperations(FrameworkID frameworkId, IEnumerable<Call.Types.ReconcileOperations.Types.Operation>? operations = null)
    {
        var reconcile = new Call.Types.ReconcileOperations();
        if (operations is not null)
        {
            reconcile.Operations.AddRange(operations);
        }

        var call = New(frameworkId, Type.ReconcileOperations);
        call.ReconcileOperations = reconcile;
        return call;
    }

    public static Call Message(FrameworkID frameworkId, AgentID agentId, ExecutorID executorId, ByteString data)
    {
        var call = New(frameworkId, Type.Message);
        call.Message = new Call.Types.Message { AgentId = agentId, ExecutorId = executorId, Data = data };
        return call;
    }

    public static Call Request(FrameworkID frameworkId, IEnumerable<V1.Request> requests)
    {
        var request = new Call.Types.Request();
        request.Requests.AddRange(requests);
        var call = New(frameworkId, Type.Request);
        call.Request = request;
        return call;
    }

    public static Call AcceptInverseOffers(FrameworkID frameworkId, IEnumerable<OfferID> inverseOfferIds, V1.Filters? filters = null)
    {
        var accept = new Call.Types.AcceptInverseOffers { Filters = filters };
        accept.InverseOfferIds.AddRange(inverseOfferIds);
        var call = New(frameworkId, Type.AcceptInverseOffers);
        call.AcceptInverseOffers = accept;
        return call;
    }

    public static Call DeclineInverseOffers(FrameworkID frameworkId, IEnumerable<OfferID> inverseOfferIds, V1.Filters? filters = null)
    {
        var decline = new Call.Types.DeclineInverseOffers { Filters = filters };
        decline.InverseOfferIds.AddRange(inverseOfferIds);
        var call = New(frameworkId, Type.DeclineInverseOffers);
        call.DeclineInverseOffers = decline;
        return call;
    }

    public static Call UpdateFramework(V1.FrameworkInfo frameworkInfo, IEnumerable<string>? suppressedRoles = null)
    {
        ArgumentNullException.ThrowIfNull(frameworkInfo);
        var update = new Call.Types.UpdateFramework { FrameworkInfo = frameworkInfo };
        if (suppressedRoles is not null)
        {
            update.SuppressedRoles.AddRange(suppressedRoles);
        }

        var call = new Call { Type = Type.UpdateFramework, UpdateFramework = update, FrameworkId = frameworkInfo.Id?.Clone() };
        return call;
    }

    /// <summary>A refuse filter: the master will not offer the declined resources again for <paramref name="refuse"/> (unless revived).</summary>
    public static V1.Filters Refuse(TimeSpan refuse) => new() { RefuseSeconds = refuse.TotalSeconds };

    private static Call New(FrameworkID frameworkId, Type type)
    {
        ArgumentNullException.ThrowIfNull(frameworkId);
        return new Call { Type = type, FrameworkId = frameworkId.Clone() };
    }
}
