using Google.Protobuf;
using Mesos.V1;
using Event = Mesos.V1.Executor.Event;

namespace Mesos.Executor.Events;

/// <summary>
/// An event from the agent, one sealed record per type; consume with <c>switch</c>. <see cref="Raw"/> keeps the
/// decoded protobuf for anything the records leave out.
/// </summary>
public abstract record ExecutorEvent
{
    private protected ExecutorEvent(Event raw)
    {
        Raw = raw;
    }

    /// <summary>The event as decoded from the stream.</summary>
    public Event Raw { get; }

    /// <summary>The typed event for <paramref name="raw"/>, or null for a type this library does not know.</summary>
    internal static ExecutorEvent? From(Event raw) => raw.Type switch
    {
        Event.Types.Type.Subscribed when raw.Subscribed is { } s => new SubscribedEvent(raw, s.ExecutorInfo, s.FrameworkInfo, s.AgentInfo, s.ContainerId),
        Event.Types.Type.Launch when raw.Launch is { } l => new LaunchEvent(raw, l.Task),
        Event.Types.Type.LaunchGroup when raw.LaunchGroup is { } g => new LaunchGroupEvent(raw, g.TaskGroup),
        Event.Types.Type.Kill when raw.Kill is { } k => new KillEvent(raw, k.TaskId, k.KillPolicy),
        Event.Types.Type.Acknowledged when raw.Acknowledged is { } a => new AcknowledgedEvent(raw, a.TaskId, a.Uuid),
        Event.Types.Type.Message when raw.Message is { } m => new MessageEvent(raw, m.Data),
        Event.Types.Type.Error when raw.Error is { } e => new ErrorEvent(raw, e.Message),
        Event.Types.Type.Shutdown => new ShutdownEvent(raw, ShutdownCause.Agent, null),
        Event.Types.Type.Heartbeat => new HeartbeatEvent(raw),
        _ => null,
    };
}

/// <summary>SUBSCRIBED: the agent accepted the subscription (first, and after every re-subscription).</summary>
public sealed record SubscribedEvent(Event Raw, ExecutorInfo ExecutorInfo, FrameworkInfo FrameworkInfo, AgentInfo AgentInfo, ContainerID? ContainerId)
    : ExecutorEvent(Raw)
{
    /// <summary>True when the framework understands TASK_KILLING (send it before killing a task).</summary>
    public bool FrameworkHasTaskKillingState =>
        FrameworkInfo.Capabilities.Any(c => c.Type == FrameworkInfo.Types.Capability.Types.Type.TaskKillingState);
}

/// <summary>LAUNCH: run this task.</summary>
public sealed record LaunchEvent(Event Raw, TaskInfo Task) : ExecutorEvent(Raw);

/// <summary>LAUNCH_GROUP: run these tasks together; when one fails or is killed, kill the rest.</summary>
public sealed record LaunchGroupEvent(Event Raw, TaskGroupInfo TaskGroup) : ExecutorEvent(Raw);

/// <summary>KILL: stop this task, with the grace period of <see cref="KillPolicy"/> when it is set.</summary>
public sealed record KillEvent(Event Raw, TaskID TaskId, KillPolicy? KillPolicy) : ExecutorEvent(Raw);

/// <summary>ACKNOWLEDGED: the agent has stored the update with this uuid; it will not be resent.</summary>
public sealed record AcknowledgedEvent(Event Raw, TaskID TaskId, ByteString Uuid) : ExecutorEvent(Raw);

/// <summary>MESSAGE: bytes from the scheduler, delivered at most once.</summary>
public sealed record MessageEvent(Event Raw, ByteString Data) : ExecutorEvent(Raw);

/// <summary>ERROR: the agent reports an asynchronous error.</summary>
public sealed record ErrorEvent(Event Raw, string Message) : ExecutorEvent(Raw);

/// <summary>
/// SHUTDOWN: kill every task, send their terminal updates and exit. Sent by the agent, or made up by the client when
/// the agent is lost for good (<see cref="Cause"/>), as upstream's executor library does.
/// </summary>
public sealed record ShutdownEvent(Event Raw, ShutdownCause Cause, string? Detail) : ExecutorEvent(Raw)
{
    /// <summary>True when the agent asked for it; false when it was made up here.</summary>
    public bool FromAgent => Cause == ShutdownCause.Agent;

    /// <summary>True when the agent can still be told about the tasks (terminal updates are worth sending).</summary>
    public bool AgentReachable => Cause is ShutdownCause.Agent or ShutdownCause.HostStopping;
}

/// <summary>HEARTBEAT: the agent is alive.</summary>
public sealed record HeartbeatEvent(Event Raw) : ExecutorEvent(Raw);

/// <summary>Why a <see cref="ShutdownEvent"/> happened.</summary>
public enum ShutdownCause
{
    /// <summary>The agent sent SHUTDOWN.</summary>
    Agent,

    /// <summary>The connection to the agent was lost and the framework does not checkpoint: the agent will not wait for us.</summary>
    AgentLost,

    /// <summary>The agent could not be reached again within the recovery timeout.</summary>
    RecoveryTimeout,

    /// <summary>The host is stopping (SIGTERM, Ctrl+C): the hosted executor shuts its tasks down before it goes.</summary>
    HostStopping,
}
