using Mesos.Executor.Events;

namespace Mesos.Executor.Hosting;

/// <summary>
/// The user's side of a hosted executor: one method per event type (the seed's <c>handlers</c> map). Each has a
/// default that does nothing, so implement only what you need. Events are handled one at a time, in order; a
/// handler that takes long delays the next event (acknowledgements and reconnection are not delayed). An exception
/// from a handler is logged and the next event is handled.
/// </summary>
public interface IExecutorHandler
{
    /// <summary>SUBSCRIBED: after the first subscription and after each re-subscription.</summary>
    ValueTask OnSubscribedAsync(SubscribedEvent subscribed, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>LAUNCH: start the task and send its updates (TASK_STARTING/TASK_RUNNING, later a terminal one).</summary>
    ValueTask OnLaunchAsync(LaunchEvent launch, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>LAUNCH_GROUP: start the tasks together.</summary>
    ValueTask OnLaunchGroupAsync(LaunchGroupEvent launchGroup, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>KILL: stop the task and send its terminal update.</summary>
    ValueTask OnKillAsync(KillEvent kill, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>ACKNOWLEDGED: already applied to the ledger when this is called.</summary>
    ValueTask OnAcknowledgedAsync(AcknowledgedEvent acknowledged, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>MESSAGE: bytes from the scheduler.</summary>
    ValueTask OnMessageAsync(MessageEvent message, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>ERROR: the agent reports an error (already logged).</summary>
    ValueTask OnErrorAsync(ErrorEvent error, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>
    /// SHUTDOWN: kill every task and send their terminal updates. <paramref name="cancellationToken"/> fires when the
    /// shutdown grace period ends; the executor exits when this returns (with 1 when <see cref="ShutdownEvent.FromAgent"/> is false).
    /// </summary>
    ValueTask OnShutdownAsync(ShutdownEvent shutdown, IExecutorDriver driver, CancellationToken cancellationToken) => default;

    /// <summary>HEARTBEAT: the agent is alive.</summary>
    ValueTask OnHeartbeatAsync(HeartbeatEvent heartbeat, IExecutorDriver driver, CancellationToken cancellationToken) => default;
}
