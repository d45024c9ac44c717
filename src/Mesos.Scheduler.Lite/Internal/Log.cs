using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite;

/// <summary>Every log line of the scheduler library; event ids 6000-6099 (client) and 6100-6199 (task manager).</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Subscribing to {Master} as framework {FrameworkId}")]
    public static partial void Subscribing(ILogger logger, Uri master, string frameworkId);

    [LoggerMessage(6001, LogLevel.Information, "Subscribed to {Master} as framework {FrameworkId} (heartbeat every {Heartbeat})")]
    public static partial void Subscribed(ILogger logger, Uri master, string frameworkId, TimeSpan heartbeat);

    [LoggerMessage(6002, LogLevel.Information, "Master {Master} is not the leader; following the redirect to {Leader}")]
    public static partial void Redirected(ILogger logger, Uri master, Uri leader);

    [LoggerMessage(6003, LogLevel.Warning, "SUBSCRIBE to {Master} failed: {Reason}")]
    public static partial void SubscribeFailed(ILogger logger, Uri master, string reason);

    [LoggerMessage(6004, LogLevel.Warning, "Disconnected from the master: {Reason}; attempt {Attempt} in {Delay}")]
    public static partial void Disconnected(ILogger logger, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(6005, LogLevel.Error, "Giving up after {Attempts} failed connection attempts (MaxReconnect {MaxReconnect}): {Reason}")]
    public static partial void GivingUp(ILogger logger, int attempts, int maxReconnect, string reason);

    [LoggerMessage(6006, LogLevel.Error, "The event handler failed on {Event}; an UPDATE it was given stays unacknowledged and will come again")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(6007, LogLevel.Warning, "Acknowledging the update of task {TaskId} failed; the master will resend it")]
    public static partial void AcknowledgeFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(6008, LogLevel.Information, "Reconciling {Count} task(s) explicitly (round {Round})")]
    public static partial void Reconciling(ILogger logger, int count, int round);

    [LoggerMessage(6009, LogLevel.Warning, "A RECONCILE call failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(6010, LogLevel.Warning, "Leader detection failed; trying the configured masters")]
    public static partial void DetectorFailed(ILogger logger, Exception exception);

    [LoggerMessage(6011, LogLevel.Warning, "Ignoring an event of a type this library does not know: {Type}")]
    public static partial void UnknownEvent(ILogger logger, string type);

    [LoggerMessage(6012, LogLevel.Warning, "The master sent ERROR: {Message}")]
    public static partial void MasterError(ILogger logger, string message);

    [LoggerMessage(6013, LogLevel.Information, "Master answered 401; logging the service account in again")]
    public static partial void Unauthorized(ILogger logger);

    [LoggerMessage(6014, LogLevel.Information, "The leading master changed to {Leader}; re-subscribing there")]
    public static partial void LeaderChanged(ILogger logger, Uri leader);

    [LoggerMessage(6200, LogLevel.Information, "Following the leading Mesos master at {Url}")]
    public static partial void DetectorStarted(ILogger logger, string url);

    [LoggerMessage(6201, LogLevel.Information, "ZooKeeper reports the leading Mesos master {Leader}")]
    public static partial void DetectedLeader(ILogger logger, string leader);

    [LoggerMessage(6202, LogLevel.Warning, "ZooKeeper reports no leading Mesos master")]
    public static partial void NoLeader(ILogger logger);

    [LoggerMessage(6210, LogLevel.Information, "Scheduler state in ZooKeeper at {Servers}, node {Path}")]
    public static partial void StateStoreConnected(ILogger logger, string servers, string path);

    [LoggerMessage(6211, LogLevel.Warning, "The ZooKeeper session of the state store expired; connecting a new one")]
    public static partial void StateStoreSessionExpired(ILogger logger);

    [LoggerMessage(6212, LogLevel.Warning, "Lost the ZooKeeper connection while writing {Path}; retrying (attempt {Attempt})")]
    public static partial void StateStoreRetry(ILogger logger, string path, int attempt);

    [LoggerMessage(6100, LogLevel.Information, "Launching {Count} task(s) on agent {AgentId} with {Offers} offer(s)")]
    public static partial void Launching(ILogger logger, int count, string agentId, int offers);

    [LoggerMessage(6101, LogLevel.Information, "Task {TaskId} is {State}")]
    public static partial void TaskState(ILogger logger, string taskId, string state);

    [LoggerMessage(6102, LogLevel.Information, "Task {TaskId} ended {State}; restarting it in {Delay} (attempt {Attempt})")]
    public static partial void Restarting(ILogger logger, string taskId, string state, TimeSpan delay, int attempt);

    [LoggerMessage(6103, LogLevel.Warning, "Killing task {TaskId}, which this framework does not know (killUnknownTasks)")]
    public static partial void KillingUnknown(ILogger logger, string taskId);

    [LoggerMessage(6104, LogLevel.Warning, "A scheduler call failed while handling {Event}")]
    public static partial void CallFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(6105, LogLevel.Warning, "Task {TaskId} ended {State} and is not restarted ({Why})")]
    public static partial void NotRestarting(ILogger logger, string taskId, string state, string why);
}
