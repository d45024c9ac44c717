using Google.Protobuf;

namespace Mesos.Scheduler.Lite;

public sealed partial class FrameworkScheduler
{
    private void Restore(SchedulerState state)
    {
        lock (_slots)
        {
            foreach (var stored in state.Tasks)
            {
                if (!_options.Tasks.ContainsKey(stored.SpecName))
                {
                    continue; // A spec that no longer exists: reconciliation reports it and killUnknownTasks decides.
                }

                var slot = _slots.FirstOrDefault(s => s.Spec == stored.SpecName && s.Serial == stored.Serial);
                if (slot is null)
                {
                    slot = new Slot(stored.SpecName, stored.Serial) { Pending = false, Attempts = stored.RestartAttempts };
                    _slots.Add(slot);
                }

                slot.Live.Add(stored.TaskId);
                _tasks[stored.TaskId] = (slot, new ManagedTask
                {
                    TaskId = stored.TaskId,
                    Name = TaskName(stored.SpecName, stored.Serial),
                    SpecName = stored.SpecName,
                    Serial = stored.Serial,
                    AgentId = stored.AgentId,
                    Hostname = stored.Hostname,
                    ExecutorId = stored.ExecutorId,
                    State = stored.State is { } s ? TaskStates.Parse(s) : null,
                    Ports = stored.Ports,
                    RestartAttempts = stored.RestartAttempts,
                    GroupKey = stored.GroupKey,
                });
            }

            foreach (var name in _options.Tasks.Keys)
            {
                EnsureSlots(name);
            }
        }
    }

    /// <summary>Adds pending slots for missing serials 1..instances; returns how many were added. Caller holds the lock.</summary>
    private int EnsureSlots(string spec)
    {
        var wanted = _instances[spec];
        var added = 0;
        for (var serial = 1; serial <= wanted; serial++)
        {
            var existing = _slots.FirstOrDefault(s => s.Spec == spec && s.Serial == serial);
            if (existing is null)
            {
                _slots.Add(new Slot(spec, serial));
                added++;
            }
            else if (existing.Retired)
            {
                existing.Retired = false;
            }
        }

        return added;
    }

    private string TaskName(string spec, int serial) => _options.SerialNumberedTasks ? $"{spec}-{serial}" : spec;

    private async Task HandleOffersAsync(IReadOnlyList<V1.Offer> offers, CancellationToken cancellationToken)
    {
        var client = RequireClient();
        var now = _time.GetUtcNow();
        List<LaunchRequest> requests;
        lock (_slots)
        {
            requests = _slots
                .Where(s => s.Pending && s.NotBefore <= now)
                .OrderBy(s => _options.Tasks[s.Spec].Priority ?? int.MaxValue)
                .ThenBy(s => s.Spec, StringComparer.Ordinal)
                .ThenBy(s => s.Serial)
                .Select(ToRequest)
                .ToList();
        }

        var roles = _options.Client.Framework.Roles;
        var match = OfferMatcher.Match(offers, requests, new OfferMatcherOptions { Roles = roles, CombineOffersPerAgent = _options.CombineOffersPerAgent });
        foreach (var launch in match.Launches)
        {
            var operations = new List<V1.Offer.Types.Operation>();
            var plainTasks = new List<V1.TaskInfo>();
            var launched = new List<(Slot Slot, ManagedTask Task)>();
            foreach (var placement in launch.Placements)
            {
                var slot = (Slot)placement.Request.Tag!;
                var spec = _options.Tasks[slot.Spec];
                var tasks = Build(slot, spec, placement, launch, operations, plainTasks);
                launched.AddRange(tasks.Select(t => (slot, t)));
            }

            if (plainTasks.Count > 0)
            {
                operations.Insert(0, ExecutorShipping.Launch(plainTasks));
            }

            lock (_slots)
            {
                foreach (var (slot, task) in launched)
                {
                    slot.Pending = false;
                    slot.Live.Add(task.TaskId);
                    _tasks[task.TaskId] = (slot, task);
                }
            }

            // Stored before the ACCEPT: a scheduler that dies right after it still knows the task and reconciles it.
            foreach (var (_, task) in launched)
            {
                await _options.StateStore.SaveTaskAsync(task.ToStored(), cancellationToken).ConfigureAwait(false);
            }

            Log.Launching(_logger, launched.Count, launch.AgentId.Value, launch.OfferIds.Count);
            try
            {
                await client.AcceptAsync(launch.OfferIds, operations, SchedulerCalls.Refuse(Defaults.AcceptRefuse), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Protocol.Http.MesosConnectionException or Protocol.Http.MesosHttpException or InvalidOperationException)
            {
                Log.CallFailed(_logger, ex, "OFFERS");
                lock (_slots)
                {
                    foreach (var (slot, task) in launched)
                    {
                        slot.Live.Remove(task.TaskId);
                        _tasks.Remove(task.TaskId);
                        slot.Pending = slot.Live.Count == 0;
                    }
                }

                foreach (var (_, task) in launched)
                {
                    await _options.StateStore.RemoveTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (match.UnusedOfferIds.Count > 0)
        {
            // One DECLINE for all leftovers, with a long filter: new work REVIVEs anyway.
            await client.DeclineAsync(match.UnusedOfferIds, SchedulerCalls.Refuse(_options.DeclineRefuse), cancellationToken).ConfigureAwait(false);
        }

        await AfterMatchingAsync(cancellationToken).ConfigureAwait(false);
    }

    private LaunchRequest ToRequest(Slot slot)
    {
        var spec = _options.Tasks[slot.Spec];
        var resources = spec.Resources;
        if (spec.Group is { Count: > 0 } group)
        {
            resources = group.Aggregate(new ResourceRequirements(), (sum, m) => sum with
            {
                Cpus = sum.Cpus + m.Resources.Cpus,
                Mem = sum.Mem + m.Resources.Mem,
                Disk = sum.Disk + m.Resources.Disk,
                Gpus = sum.Gpus + m.Resources.Gpus,
                Ports = sum.Ports + m.Resources.Ports,
            });
        }

        if (!_options.StaticPorts && resources.FixedPorts.Count > 0)
        {
            // Without staticPorts the fixed ports still count, as ordinary ports.
            resources = resources with { Ports = resources.Ports + resources.FixedPorts.Count, FixedPorts = [] };
        }

        var id = $"{slot.Spec}-{slot.Serial}.{Guid.NewGuid():N}";
        return new LaunchRequest
        {
            Id = id,
            Resources = resources,
            ExecutorId = spec.Executor is null ? null : new ExecutorID { Value = id },
            ExecutorResources = spec.Executor is null ? null : ExecutorShipping.RequirementsOf(spec.Executor.Resources),
            Role = spec.Role,
            Tag = slot,
        };
    }

    private List<ManagedTask> Build(Slot slot, TaskSpec spec, Placement placement, AgentLaunch launch, List<V1.Offer.Types.Operation> operations, List<V1.TaskInfo> plainTasks)
    {
        var taskId = placement.Request.Id;
        var name = TaskName(slot.Spec, slot.Serial);
        V1.ExecutorInfo? executor = null;
        if (spec.Executor is { } template)
        {
            executor = template.Clone();
            executor.ExecutorId = new ExecutorID { Value = taskId };
            executor.Resources.Clear();
            // The executor's resources must be the offered ones (role, reservation, allocation info) the matcher took.
            executor.Resources.AddRange(placement.ExecutorResources);
        }

        var managed = new List<ManagedTask>();
        if (spec.Group is { Count: > 0 } group)
        {
            var members = new List<V1.TaskInfo>();
            var remaining = placement.TaskResources.Select(r => r.Clone()).ToList();
            foreach (var member in group)
            {
                var memberId = $"{slot.Spec}-{slot.Serial}-{member.Name}.{taskId[(taskId.IndexOf('.', StringComparison.Ordinal) + 1)..]}";
                var resources = Carve(remaining, member.Resources);
                members.Add(ExecutorShipping.CreateGroupMember($"{name}-{member.Name}", memberId, launch.AgentId, member.Command, resources));
                managed.Add(NewTask(memberId, $"{name}-{member.Name}", slot, launch, executor, [], taskId));
            }

            operations.Add(ExecutorShipping.LaunchGroup(executor!, members));
            return managed;
        }

        var task = new V1.TaskInfo { Name = name, TaskId = new TaskID { Value = taskId }, AgentId = launch.AgentId.Clone() };
        task.Resources.AddRange(placement.TaskResources);
        if (executor is not null)
        {
            task.Executor = executor;
            task.Data = spec.Data ?? (spec.Command?.Value is { Length: > 0 } value ? ExecutorShipping.CreateTaskPayload(value) : ByteString.Empty);
        }
        else
        {
            task.Command = spec.Command!.Clone();
            AddPortEnvironment(task.Command, launch.Hostname, placement.Ports);
            if (spec.Data is { } data)
            {
                task.Data = data;
            }

            if (spec.Container is { } container)
            {
                task.Container = container.Clone();
                MapPorts(task.Container, spec.PortMappings, placement.Ports);
            }
        }

        if (spec.HealthCheck is { } health)
        {
            task.HealthCheck = health.Clone();
        }

        if (spec.KillPolicy is { } kill)
        {
            task.KillPolicy = kill.Clone();
        }

        if (spec.Labels.Count > 0)
        {
            task.Labels = new V1.Labels();
            task.Labels.Labels_.AddRange(spec.Labels.Select(l => new V1.Label { Key = l.Key, Value = l.Value }));
        }

        plainTasks.Add(task);
        managed.Add(NewTask(taskId, name, slot, launch, executor, placement.Ports, null));
        return managed;
    }

    private static ManagedTask NewTask(string taskId, string name, Slot slot, AgentLaunch launch, V1.ExecutorInfo? executor, IReadOnlyList<ulong> ports, string? groupKey) => new()
    {
        TaskId = taskId,
        Name = name,
        SpecName = slot.Spec,
        Serial = slot.Serial,
        AgentId = launch.AgentId.Value,
        Hostname = launch.Hostname,
        ExecutorId = executor?.ExecutorId.Value,
        Ports = ports,
        RestartAttempts = slot.Attempts,
        GroupKey = groupKey,
    };

    /// <summary>Splits a group's matched resources among its members, scalar by scalar (ports whole to the first that wants them).</summary>
    private static List<V1.Resource> Carve(List<V1.Resource> remaining, ResourceRequirements wanted)
    {
        var result = new List<V1.Resource>();
        foreach (var (name, amount) in new[] { ("cpus", wanted.Cpus), ("mem", wanted.Mem), ("disk", wanted.Disk), ("gpus", wanted.Gpus) })
        {
            var needed = Scalar.ToFixed(amount);
            foreach (var resource in remaining.Where(r => r.Name == name && r.Scalar is not null))
            {
                if (needed == 0)
                {
                    break;
                }

                var available = Scalar.ToFixed(resource.Scalar.Value);
                var part = Math.Min(available, needed);
                if (part == 0)
                {
                    continue;
                }

                var piece = resource.Clone();
                piece.Scalar = new V1.Value.Types.Scalar { Value = Scalar.FromFixed(part) };
                result.Add(piece);
                resource.Scalar = new V1.Value.Types.Scalar { Value = Scalar.FromFixed(available - part) };
                needed -= part;
            }
        }

        if (wanted.Ports > 0)
        {
            var ports = remaining.Where(r => r.Name == "ports" && r.Ranges is { Range.Count: > 0 }).ToList();
            result.AddRange(ports.Select(p => p.Clone()));
            foreach (var p in ports)
            {
                p.Ranges.Range.Clear();
            }
        }

        return result;
    }

    private static void AddPortEnvironment(V1.CommandInfo command, string hostname, IReadOnlyList<ulong> ports)
    {
        command.Environment ??= new V1.Environment();
        command.Environment.Variables.Add(new V1.Environment.Types.Variable { Name = "HOST", Value = hostname });
        for (var i = 0; i < ports.Count; i++)
        {
            var text = ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Environment.Variables.Add(new V1.Environment.Types.Variable { Name = $"PORT{i}", Value = text });
            if (i == 0)
            {
                command.Environment.Variables.Add(new V1.Environment.Types.Variable { Name = "PORT", Value = text });
            }
        }
    }

    private static void MapPorts(V1.ContainerInfo container, IReadOnlyList<PortMapping> mappings, IReadOnlyList<ulong> ports)
    {
        for (var i = 0; i < mappings.Count && i < ports.Count; i++)
        {
            if (container.Docker is { } docker)
            {
                docker.PortMappings.Add(new V1.ContainerInfo.Types.DockerInfo.Types.PortMapping
                {
                    HostPort = (uint)ports[i],
                    ContainerPort = mappings[i].Port,
                    Protocol = mappings[i].Protocol,
                });
            }
            else if (container.NetworkInfos.Count > 0)
            {
                container.NetworkInfos[0].PortMappings.Add(new V1.NetworkInfo.Types.PortMapping
                {
                    HostPort = (uint)ports[i],
                    ContainerPort = mappings[i].Port,
                    Protocol = mappings[i].Protocol,
                });
            }
        }
    }

    private async Task AfterMatchingAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        bool anyReady;
        DateTimeOffset? nextDelayed;
        lock (_slots)
        {
            anyReady = _slots.Any(s => s.Pending && s.NotBefore <= now);
            nextDelayed = _slots.Where(s => s.Pending && s.NotBefore > now).Select(s => (DateTimeOffset?)s.NotBefore).Min();
        }

        if (!anyReady && nextDelayed is null)
        {
            await SuppressAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!anyReady && nextDelayed is { } at)
        {
            // Only backed-off restarts remain: stop offers until the first of them is due.
            await SuppressAsync(cancellationToken).ConfigureAwait(false);
            ScheduleRevive(at - now);
        }
    }

    private async Task SuppressAsync(CancellationToken cancellationToken)
    {
        if (_suppressed)
        {
            return;
        }

        await RequireClient().SuppressAsync(null, cancellationToken).ConfigureAwait(false);
        _suppressed = true;
    }

    private async Task ReviveNowAsync(CancellationToken cancellationToken)
    {
        await RequireClient().ReviveAsync(null, cancellationToken).ConfigureAwait(false);
        _suppressed = false;
        _lastRevive = _time.GetUtcNow();
    }

    /// <summary>REVIVE now, or once the rate limit allows.</summary>
    private async Task RequestReviveAsync(CancellationToken cancellationToken)
    {
        var wait = _lastRevive + _options.ReviveMinimumInterval - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            ScheduleRevive(wait);
            return;
        }

        try
        {
            await ReviveNowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Protocol.Http.MesosConnectionException or Protocol.Http.MesosHttpException or InvalidOperationException)
        {
            // Not subscribed right now: SUBSCRIBED revives when work is pending.
            Log.CallFailed(_logger, ex, "REVIVE");
        }
    }

    private void ScheduleRevive(TimeSpan delay)
    {
        var timer = _time.CreateTimer(_ => _ = Task.Run(() => RequestReviveAsync(_runToken)), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _reviveTimer, timer)?.Dispose();
    }
}
