using System.Threading.Channels;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Microsoft.AspNetCore.Http;
using Call = Mesos.V1.Scheduler.Call;
using Event = Mesos.V1.Scheduler.Event;
using MesosTaskStatus = Mesos.V1.TaskStatus;
using TaskState = Mesos.V1.TaskState;
using V1 = Mesos.V1;

namespace Mesos.Testing.Master;

public sealed partial class FakeMaster
{
    private readonly Dictionary<string, FrameworkState> _frameworks = new(StringComparer.Ordinal);
    private readonly List<FakeAgent> _agents = [];
    private readonly Dictionary<string, OfferState> _offers = new(StringComparer.Ordinal);
    private int _frameworkSeq;
    private int _agentSeq;
    private int _offerSeq;

    /// <summary>SUBSCRIBE calls answered 200.</summary>
    public int SubscribeCount { get; private set; }

    /// <summary>Adds a simulated agent with unreserved (<c>*</c>) resources, plus any <paramref name="extra"/> ones (e.g. reserved to a role).</summary>
    public FakeAgent AddAgent(double cpus = 4, double mem = 4096, double disk = 4096, ulong portsBegin = 31000, ulong portsEnd = 32000,
        string hostname = "127.0.0.1", IEnumerable<V1.Resource>? extra = null)
    {
        var resources = new List<V1.Resource>
        {
            Ranges("ports", portsBegin, portsEnd),
            Scalar("cpus", cpus),
            Scalar("mem", mem),
            Scalar("disk", disk),
        };
        resources.RemoveAll(FakeResources.IsEmpty);
        if (extra is not null)
        {
            resources.AddRange(extra);
        }

        lock (_lock)
        {
            var agent = new FakeAgent($"{_options.MasterId}-S{_agentSeq++}", hostname, 5051, resources);
            _agents.Add(agent);
            return agent;
        }
    }

    /// <summary>A scalar resource as an agent reports it (role <c>*</c> unless given: a static reservation).</summary>
    public static V1.Resource Scalar(string name, double value, string role = "*") => new()
    {
        Name = name,
        Type = V1.Value.Types.Type.Scalar,
        Scalar = new V1.Value.Types.Scalar { Value = value },
        Role = role,
    };

    public static V1.Resource Ranges(string name, ulong begin, ulong end, string role = "*")
    {
        var resource = new V1.Resource { Name = name, Type = V1.Value.Types.Type.Ranges, Ranges = new V1.Value.Types.Ranges(), Role = role };
        if (end >= begin && begin > 0)
        {
            resource.Ranges.Range.Add(new V1.Value.Types.Range { Begin = begin, End = end });
        }

        return resource;
    }

    /// <summary>The frameworks the master knows.</summary>
    public IReadOnlyList<FakeFrameworkView> Frameworks
    {
        get
        {
            lock (_lock)
            {
                return _frameworks.Values.Select(f => f.View()).ToArray();
            }
        }
    }

    /// <summary>Every task launched through this master, with its latest state.</summary>
    public IReadOnlyList<FakeTaskView> Tasks
    {
        get
        {
            lock (_lock)
            {
                return _frameworks.Values.SelectMany(f => f.Tasks.Values).Select(t => t.View()).ToArray();
            }
        }
    }

    /// <summary>Offers sent and neither accepted, declined nor rescinded.</summary>
    public int OutstandingOffers
    {
        get
        {
            lock (_lock)
            {
                return _offers.Count;
            }
        }
    }

    /// <summary>Closes every event stream: aborted (connection reset) or cleanly ended. Frameworks stay registered and may re-subscribe.</summary>
    public void DropStreams(bool abort = true)
    {
        lock (_lock)
        {
            foreach (var framework in _frameworks.Values)
            {
                framework.Stream?.Close(abort);
                framework.Stream = null;
                RescindOffersOf(framework, sendRescind: false);
            }
        }
    }

    /// <summary>Sends any event to a framework (ERROR, MESSAGE, FAILURE, RESCIND, INVERSE_OFFERS...).</summary>
    public void SendEvent(string frameworkId, Event ev)
    {
        lock (_lock)
        {
            if (_frameworks.TryGetValue(frameworkId, out var framework))
            {
                framework.Stream?.Send(ev);
            }
        }
    }

    /// <summary>Offers free resources now instead of waiting for the allocation interval.</summary>
    public void Allocate()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!SendOffers || !IsLeader)
            {
                return;
            }

            foreach (var framework in _frameworks.Values)
            {
                if (framework.Stream is null || framework.Suppressed)
                {
                    continue;
                }

                var offers = new List<V1.Offer>();
                foreach (var agent in _agents)
                {
                    if (framework.FilteredUntil.TryGetValue(agent.Id, out var until) && until > now)
                    {
                        continue;
                    }

                    foreach (var role in framework.OfferRoles())
                    {
                        var usable = agent.Free.Where(r => FakeResources.ReservationRole(r) is var reserved && (reserved == "*" || reserved == role)).ToList();
                        if (usable.Count == 0)
                        {
                            continue;
                        }

                        FakeResources.TrySubtract(agent.Free, usable);
                        var offer = new V1.Offer
                        {
                            Id = new V1.OfferID { Value = $"{_options.MasterId}-O{_offerSeq++}" },
                            FrameworkId = new V1.FrameworkID { Value = framework.Id },
                            AgentId = new V1.AgentID { Value = agent.Id },
                            Hostname = agent.Hostname,
                            AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = role },
                        };
                        foreach (var resource in usable)
                        {
                            var offered = resource.Clone();
                            offered.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = role };
                            offer.Resources.Add(offered);
                        }

                        offer.ExecutorIds.AddRange(framework.Executors.Where(e => e.Agent == agent.Id).Select(e => new V1.ExecutorID { Value = e.Executor }));
                        _offers[offer.Id.Value] = new OfferState(offer, framework.Id, agent);
                        offers.Add(offer);
                    }
                }

                if (offers.Count > 0)
                {
                    var ev = new Event { Type = Event.Types.Type.Offers, Offers = new Event.Types.Offers() };
                    ev.Offers.Offers_.AddRange(offers);
                    framework.Stream.Send(ev);
                }
            }
        }
    }

    private async Task AllocateLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(_options.AllocationInterval, _time, _stop.Token).ConfigureAwait(false);
                Allocate();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private void RescindOffersOf(FrameworkState framework, bool sendRescind)
    {
        foreach (var offer in _offers.Values.Where(o => o.FrameworkId == framework.Id).ToArray())
        {
            ReturnOffer(offer);
            if (sendRescind)
            {
                framework.Stream?.Send(new Event { Type = Event.Types.Type.Rescind, Rescind = new Event.Types.Rescind { OfferId = offer.Offer.Id } });
            }
        }
    }

    private void ReturnOffer(OfferState offer)
    {
        _offers.Remove(offer.Offer.Id.Value);
        foreach (var resource in offer.Offer.Resources)
        {
            FakeResources.Add(offer.Agent.Free, resource);
        }
    }

    private async Task SubscribeAsync(HttpContext context, Call call, string? authorization, MesosEncoding encoding, MesosEncoding accept)
    {
        var info = call.Subscribe.FrameworkInfo.Clone();
        var subscription = new Subscription(Guid.NewGuid().ToString(), accept, context);
        lock (_lock)
        {
            var id = info.Id?.Value ?? $"{_options.MasterId}-{_frameworkSeq++:D4}";
            info.Id = new V1.FrameworkID { Value = id };
            if (!_frameworks.TryGetValue(id, out var framework))
            {
                framework = new FrameworkState(id);
                _frameworks[id] = framework;
            }

            framework.Info = info;
            framework.Stream?.Close(abort: false);
            RescindOffersOf(framework, sendRescind: false);
            framework.Stream = subscription;
            framework.Suppressed = call.Subscribe.SuppressedRoles.Count > 0;
            framework.FilteredUntil.Clear();
            SubscribeCount++;
            subscription.Send(new Event
            {
                Type = Event.Types.Type.Subscribed,
                Subscribed = new Event.Types.Subscribed
                {
                    FrameworkId = info.Id.Clone(),
                    HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds,
                    MasterInfo = MasterInfo(),
                },
            });

            // Status updates are retried until acknowledged: a re-subscribed framework gets the pending ones again.
            foreach (var pending in framework.Unacknowledged.Values)
            {
                subscription.Send(new Event { Type = Event.Types.Type.Update, Update = new Event.Types.Update { Status = pending } });
            }
        }

        Record(new ReceivedCall(call, null, authorization, encoding, 200, string.Empty));
        context.Response.StatusCode = 200;
        context.Response.ContentType = MesosMediaTypes.Of(accept);
        context.Response.Headers[StreamIdHeader] = subscription.Id;
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscription.Abort.Token, _stop.Token);
        var token = stop.Token;
        var reader = subscription.Events.Reader;
        try
        {
            while (!token.IsCancellationRequested)
            {
                using var heartbeat = new CancellationTokenSource(_options.HeartbeatInterval, _time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token, heartbeat.Token);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    if (SendHeartbeats)
                    {
                        await context.Response.Body.WriteAsync(Frame(new Event { Type = Event.Types.Type.Heartbeat }, accept), token).ConfigureAwait(false);
                        await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
                    }

                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (reader.TryRead(out var ev))
                {
                    await context.Response.Body.WriteAsync(Frame(ev, accept), token).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
                Signal();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The scheduler went away, the stream was dropped, or the master stops.
        }
        finally
        {
            lock (_lock)
            {
                foreach (var framework in _frameworks.Values.Where(f => f.Stream == subscription))
                {
                    framework.Stream = null;
                    RescindOffersOf(framework, sendRescind: false);
                }
            }

            Signal();
        }
    }

    private V1.MasterInfo MasterInfo() => new()
    {
        Id = _options.MasterId,
        Ip = 16777343,
        Port = (uint)BaseAddress.Port,
        Pid = $"master@127.0.0.1:{BaseAddress.Port}",
        Hostname = "127.0.0.1",
        Version = "1.12.0",
        Address = new V1.Address { Hostname = "127.0.0.1", Ip = "127.0.0.1", Port = BaseAddress.Port },
    };

    /// <summary>A status from the launcher: stamped with a uuid, tracked until acknowledged, forwarded as UPDATE.</summary>
    public ValueTask SendStatusAsync(string frameworkId, MesosTaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (_lock)
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return ValueTask.CompletedTask;
            }

            var update = status.Clone();
            update.Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
            update.Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            ApplyState(framework, update);
            framework.Unacknowledged[Convert.ToHexString(update.Uuid.Span)] = update;
            framework.Stream?.Send(new Event { Type = Event.Types.Type.Update, Update = new Event.Types.Update { Status = update } });
        }

        Signal();
        return ValueTask.CompletedTask;
    }

    private void ApplyState(FrameworkState framework, MesosTaskStatus status)
    {
        if (!framework.Tasks.TryGetValue(status.TaskId.Value, out var task))
        {
            return;
        }

        task.State = status.State;
        task.LastStatus = status;
        if (IsTerminal(status.State) && !task.Freed)
        {
            task.Freed = true;
            var agent = _agents.FirstOrDefault(a => a.Id == task.AgentId);
            if (agent is not null)
            {
                foreach (var resource in task.Resources)
                {
                    FakeResources.Add(agent.Free, resource);
                }
            }
        }
    }

    /// <summary>A status the master itself generates (invalid launch, reconciliation): no uuid, nothing to acknowledge.</summary>
    private static void SendMasterStatus(FrameworkState framework, V1.TaskID taskId, V1.AgentID? agentId, TaskState state, MesosTaskStatus.Types.Reason reason, string? message)
    {
        var status = new MesosTaskStatus { TaskId = taskId.Clone(), State = state, Source = MesosTaskStatus.Types.Source.Master, Reason = reason };
        if (agentId is not null)
        {
            status.AgentId = agentId.Clone();
        }

        if (message is not null)
        {
            status.Message = message;
        }

        framework.Stream?.Send(new Event { Type = Event.Types.Type.Update, Update = new Event.Types.Update { Status = status } });
    }

    internal static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled
        or TaskState.TaskError or TaskState.TaskLost or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator;

    private sealed class Subscription(string id, MesosEncoding encoding, HttpContext context)
    {
        public string Id { get; } = id;

        public MesosEncoding Encoding { get; } = encoding;

        public Channel<Event> Events { get; } = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleReader = true });

        public CancellationTokenSource Abort { get; } = new();

        public void Send(Event ev) => Events.Writer.TryWrite(ev);

        public void Close(bool abort)
        {
            Events.Writer.TryComplete();
            if (abort)
            {
                Abort.Cancel();
                context.Abort();
            }
        }
    }

    private sealed class FrameworkState(string id)
    {
        public string Id { get; } = id;

        public V1.FrameworkInfo Info { get; set; } = new();

        public Subscription? Stream { get; set; }

        public bool Suppressed { get; set; }

        public Dictionary<string, DateTimeOffset> FilteredUntil { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, MesosTaskStatus> Unacknowledged { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, TaskRecord> Tasks { get; } = new(StringComparer.Ordinal);

        public HashSet<(string Agent, string Executor)> Executors { get; } = [];

        public bool PartitionAware => Info.Capabilities.Any(c => c.Type == V1.FrameworkInfo.Types.Capability.Types.Type.PartitionAware);

        public IEnumerable<string> OfferRoles() => Info.Roles.Count > 0 ? Info.Roles : [Info.HasRole ? Info.Role : "*"];

        public FakeFrameworkView View() => new(Id, Info.Clone(), Stream is not null, Suppressed, Stream?.Id, Unacknowledged.Count);
    }

    private sealed class TaskRecord(string frameworkId, V1.TaskInfo info, string agentId, V1.ExecutorID? executorId, List<V1.Resource> resources)
    {
        public V1.TaskInfo Info { get; } = info;

        public string AgentId { get; } = agentId;

        public V1.ExecutorID? ExecutorId { get; } = executorId;

        public List<V1.Resource> Resources { get; } = resources;

        public TaskState State { get; set; } = TaskState.TaskStaging;

        public MesosTaskStatus? LastStatus { get; set; }

        public bool Freed { get; set; }

        public FakeTaskRef Ref() => new(frameworkId, Info.TaskId, new V1.AgentID { Value = AgentId }, ExecutorId);

        public FakeTaskView View() => new(frameworkId, Info.TaskId.Value, AgentId, State, Info.Clone());
    }

    private sealed record OfferState(V1.Offer Offer, string FrameworkId, FakeAgent Agent);
}

/// <summary>A framework as the fake master sees it.</summary>
public sealed record FakeFrameworkView(string Id, Mesos.V1.FrameworkInfo Info, bool Subscribed, bool Suppressed, string? StreamId, int UnacknowledgedUpdates);

/// <summary>A launched task as the fake master sees it.</summary>
public sealed record FakeTaskView(string FrameworkId, string TaskId, string AgentId, Mesos.V1.TaskState State, Mesos.V1.TaskInfo Info);
