using Mesos.Protocol.Encoding;
using Call = Mesos.V1.Scheduler.Call;
using MesosTaskStatus = Mesos.V1.TaskStatus;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskState = Mesos.V1.TaskState;
using V1 = Mesos.V1;

namespace Mesos.Testing.Master;

public sealed partial class FakeMaster
{
    private async Task<(int Status, byte[]? Body)> ProcessAsync(FrameworkState framework, Call call, MesosEncoding? accept, CancellationToken cancellationToken)
    {
        switch (call.Type)
        {
            case Call.Types.Type.Teardown:
                (string Agent, string Executor)[] executors;
                lock (_lock)
                {
                    executors = framework.Executors.ToArray();
                    RescindOffersOf(framework, sendRescind: false);
                    foreach (var task in framework.Tasks.Values.Where(t => !IsTerminal(t.State)))
                    {
                        task.State = TaskState.TaskKilled;
                        ApplyState(framework, new MesosTaskStatus { TaskId = task.Info.TaskId, State = TaskState.TaskKilled });
                    }

                    framework.Stream?.Close(abort: false);
                    framework.Stream = null;
                    _frameworks.Remove(framework.Id);
                }

                // The master tells every agent to shut the framework's executors down (their tasks die with them).
                foreach (var (agent, executor) in executors)
                {
                    await _launcher.ShutdownAsync(framework.Id, new V1.AgentID { Value = agent }, new V1.ExecutorID { Value = executor }, this, cancellationToken).ConfigureAwait(false);
                }

                return (202, null);
            case Call.Types.Type.Accept:
                await AcceptAsync(framework, call.Accept, cancellationToken).ConfigureAwait(false);
                return (202, null);
            case Call.Types.Type.Decline:
                lock (_lock)
                {
                    var until = _time.GetUtcNow() + Refuse(call.Decline.Filters);
                    foreach (var offerId in call.Decline.OfferIds)
                    {
                        if (_offers.TryGetValue(offerId.Value, out var offer) && offer.FrameworkId == framework.Id)
                        {
                            ReturnOffer(offer);
                            framework.FilteredUntil[offer.Agent.Id] = until;
                        }
                    }
                }

                return (202, null);
            case Call.Types.Type.Revive:
                lock (_lock)
                {
                    framework.Suppressed = false;
                    framework.FilteredUntil.Clear();
                }

                return (202, null);
            case Call.Types.Type.Suppress:
                lock (_lock)
                {
                    framework.Suppressed = true;
                }

                return (202, null);
            case Call.Types.Type.Kill:
                TaskRecord? killed;
                lock (_lock)
                {
                    framework.Tasks.TryGetValue(call.Kill.TaskId.Value, out killed);
                    if (killed is null || IsTerminal(killed.State))
                    {
                        // Mesos reconciles a KILL of a task it does not know.
                        SendMasterStatus(framework, call.Kill.TaskId, call.Kill.AgentId, framework.PartitionAware ? TaskState.TaskUnknown : TaskState.TaskLost,
                            Reason.Reconciliation, "Reconciliation: Task is unknown");
                        killed = null;
                    }
                }

                if (killed is not null)
                {
                    await _launcher.KillAsync(killed.Ref(), call.Kill.KillPolicy, this, cancellationToken).ConfigureAwait(false);
                }

                return (202, null);
            case Call.Types.Type.Shutdown:
                await _launcher.ShutdownAsync(framework.Id, call.Shutdown.AgentId, call.Shutdown.ExecutorId, this, cancellationToken).ConfigureAwait(false);
                return (202, null);
            case Call.Types.Type.Acknowledge:
                lock (_lock)
                {
                    framework.Unacknowledged.Remove(Convert.ToHexString(call.Acknowledge.Uuid.Span));
                }

                return (202, null);
            case Call.Types.Type.Reconcile:
                lock (_lock)
                {
                    Reconcile(framework, call.Reconcile);
                }

                return (202, null);
            case Call.Types.Type.Message:
                await _launcher.MessageAsync(framework.Id, call.Message.AgentId, call.Message.ExecutorId, call.Message.Data, cancellationToken).ConfigureAwait(false);
                return (202, null);
            case Call.Types.Type.ReconcileOperations:
                var response = new V1.Scheduler.Response
                {
                    Type = V1.Scheduler.Response.Types.Type.ReconcileOperations,
                    ReconcileOperations = new V1.Scheduler.Response.Types.ReconcileOperations(),
                };
                return (200, MesosCodec.Encode(response, accept ?? MesosEncoding.Json));
            case Call.Types.Type.UpdateFramework:
                lock (_lock)
                {
                    framework.Info = call.UpdateFramework.FrameworkInfo.Clone();
                }

                return (200, null);
            default:
                // REQUEST, ACCEPT/DECLINE_INVERSE_OFFERS, ACKNOWLEDGE_OPERATION_STATUS: accepted, nothing to simulate.
                return (202, null);
        }
    }

    private TimeSpan Refuse(V1.Filters? filters) =>
        filters is { HasRefuseSeconds: true } f ? TimeSpan.FromSeconds(Math.Max(0, f.RefuseSeconds)) : _options.DefaultRefuse;

    private void Reconcile(FrameworkState framework, Call.Types.Reconcile reconcile)
    {
        if (reconcile.Tasks.Count == 0)
        {
            foreach (var task in framework.Tasks.Values.Where(t => !IsTerminal(t.State)))
            {
                SendMasterStatus(framework, task.Info.TaskId, new V1.AgentID { Value = task.AgentId }, task.State, Reason.Reconciliation, "Reconciliation: Latest task state");
            }

            return;
        }

        foreach (var wanted in reconcile.Tasks)
        {
            if (framework.Tasks.TryGetValue(wanted.TaskId.Value, out var task))
            {
                SendMasterStatus(framework, task.Info.TaskId, new V1.AgentID { Value = task.AgentId }, task.State, Reason.Reconciliation, "Reconciliation: Latest task state");
            }
            else
            {
                SendMasterStatus(framework, wanted.TaskId, wanted.AgentId, framework.PartitionAware ? TaskState.TaskUnknown : TaskState.TaskLost,
                    Reason.Reconciliation, "Reconciliation: Task is unknown");
            }
        }
    }

    private async Task AcceptAsync(FrameworkState framework, Call.Types.Accept accept, CancellationToken cancellationToken)
    {
        var launches = new List<FakeLaunch>();
        lock (_lock)
        {
            var error = ValidateOffers(framework, accept.OfferIds);
            if (error is not null)
            {
                foreach (var offerId in accept.OfferIds)
                {
                    if (_offers.TryGetValue(offerId.Value, out var offer) && offer.FrameworkId == framework.Id)
                    {
                        ReturnOffer(offer);
                    }
                }

                var lost = framework.PartitionAware ? TaskState.TaskDropped : TaskState.TaskLost;
                foreach (var task in LaunchedTasks(accept))
                {
                    SendMasterStatus(framework, task.TaskId, task.AgentId, lost, Reason.InvalidOffers, "Task launched with invalid offers: " + error);
                }

                return;
            }

            var offers = accept.OfferIds.Select(id => _offers[id.Value]).ToArray();
            var agent = offers[0].Agent;
            var pool = new List<V1.Resource>();
            foreach (var offer in offers)
            {
                _offers.Remove(offer.Offer.Id.Value);
                foreach (var resource in offer.Offer.Resources)
                {
                    FakeResources.Add(pool, resource);
                }
            }

            foreach (var operation in accept.Operations)
            {
                if (operation.Type == V1.Offer.Types.Operation.Types.Type.Launch && operation.Launch is { } launch)
                {
                    foreach (var task in launch.TaskInfos)
                    {
                        if (Launch(framework, agent, pool, task.Executor, [task], isGroup: false) is { } fake)
                        {
                            launches.Add(fake);
                        }
                    }
                }
                else if (operation.Type == V1.Offer.Types.Operation.Types.Type.LaunchGroup && operation.LaunchGroup is { } group)
                {
                    if (Launch(framework, agent, pool, group.Executor, group.TaskGroup.Tasks.ToArray(), isGroup: true) is { } fake)
                    {
                        launches.Add(fake);
                    }
                }
            }

            foreach (var resource in pool)
            {
                FakeResources.Add(agent.Free, resource);
            }

            framework.FilteredUntil[agent.Id] = _time.GetUtcNow() + Refuse(accept.Filters);
        }

        foreach (var launch in launches)
        {
            await _launcher.LaunchAsync(launch, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? ValidateOffers(FrameworkState framework, IReadOnlyList<V1.OfferID> offerIds)
    {
        if (offerIds.Count == 0)
        {
            return "No offers specified";
        }

        if (offerIds.GroupBy(o => o.Value).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return $"Duplicate offer {duplicate.Key} in offer list";
        }

        string? agent = null;
        foreach (var offerId in offerIds)
        {
            if (!_offers.TryGetValue(offerId.Value, out var offer))
            {
                return $"Offer {offerId.Value} is no longer valid";
            }

            if (offer.FrameworkId != framework.Id)
            {
                return $"Offer {offerId.Value} has invalid framework {offer.FrameworkId} while framework {framework.Id} is expected";
            }

            if (agent is not null && agent != offer.Agent.Id)
            {
                return "Aggregated offers must belong to one single agent. Offer " + offerId.Value + " uses agent " + offer.Agent.Id + " and agent " + agent;
            }

            agent = offer.Agent.Id;
        }

        return null;
    }

    private static IEnumerable<V1.TaskInfo> LaunchedTasks(Call.Types.Accept accept) => accept.Operations.SelectMany(o => o.Type switch
    {
        V1.Offer.Types.Operation.Types.Type.Launch => o.Launch?.TaskInfos.AsEnumerable() ?? [],
        V1.Offer.Types.Operation.Types.Type.LaunchGroup => o.LaunchGroup?.TaskGroup?.Tasks.AsEnumerable() ?? [],
        _ => [],
    });

    /// <summary>Validates one LAUNCH task or one LAUNCH_GROUP like the master, takes its resources, records it. Caller holds the lock.</summary>
    private FakeLaunch? Launch(FrameworkState framework, FakeAgent agent, List<V1.Resource> pool, V1.ExecutorInfo? executor, IReadOnlyList<V1.TaskInfo> tasks, bool isGroup)
    {
        var reason = isGroup ? Reason.TaskGroupInvalid : Reason.TaskInvalid;
        string? error = null;
        if (isGroup)
        {
            if (executor is null)
            {
                error = "Expecting 'executor' to be present";
            }
            else
            {
                foreach (var name in new[] { "cpus", "mem", "disk" })
                {
                    if (!executor.Resources.Any(r => r.Name == name))
                    {
                        error ??= $"Executor '{executor.ExecutorId.Value}' uses no {name}";
                    }
                }
            }

            foreach (var task in tasks)
            {
                if (task.Executor is { } own && !own.Equals(executor))
                {
                    error ??= $"The `ExecutorInfo` of task '{task.TaskId.Value}' is different from executor '{executor?.ExecutorId.Value}'";
                }
            }
        }

        foreach (var task in tasks)
        {
            if (!isGroup && (task.Executor is null) == (task.Command is null))
            {
                error ??= "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
            }

            if (isGroup && task.Command is null)
            {
                error ??= $"Task '{task.TaskId.Value}' of the task group has no command";
            }

            if (task.AgentId?.Value != agent.Id)
            {
                error ??= $"Task uses invalid agent {task.AgentId?.Value}";
            }

            if (framework.Tasks.TryGetValue(task.TaskId.Value, out var existing) && !IsTerminal(existing.State))
            {
                error ??= $"Task has duplicate ID: {task.TaskId.Value}";
            }

            if (task.Resources.Count == 0)
            {
                error ??= "Task uses no resources";
            }
        }

        var executorId = executor?.ExecutorId;
        var needsExecutor = executorId is not null && !framework.Executors.Contains((agent.Id, executorId.Value));
        var needed = tasks.SelectMany(t => t.Resources).Concat(needsExecutor ? executor!.Resources : []).ToList();
        if (error is null && !FakeResources.TrySubtract(pool, needed))
        {
            error = $"Total resources {FakeResources.Describe(needed)} required by task{(isGroup ? " group" : string.Empty)} and its executor is more than available {FakeResources.Describe(pool)}";
        }

        if (error is not null)
        {
            foreach (var task in tasks)
            {
                SendMasterStatus(framework, task.TaskId, task.AgentId, TaskState.TaskError, reason, error);
            }

            return null;
        }

        if (executorId is not null)
        {
            framework.Executors.Add((agent.Id, executorId.Value));
        }

        var launched = new List<V1.TaskInfo>();
        foreach (var task in tasks)
        {
            var copy = task.Clone();
            if (isGroup)
            {
                // The master copies the group's ExecutorInfo into every task.
                copy.Executor = executor!.Clone();
            }

            var resources = task.Resources.ToList();
            if (needsExecutor && task == tasks[0])
            {
                resources.AddRange(executor!.Resources);
            }

            framework.Tasks[task.TaskId.Value] = new TaskRecord(framework.Id, copy, agent.Id, executorId, resources);
            launched.Add(copy);
        }

        return new FakeLaunch(framework.Id, framework.Info.Clone(), new V1.AgentID { Value = agent.Id }, executor?.Clone(), launched, isGroup, this);
    }
}
