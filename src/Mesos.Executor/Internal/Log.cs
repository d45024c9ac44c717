using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Internal;

/// <summary>Every log message of the executor library, with unique event ids. Never pass the token here.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Subscribing to the agent at {Endpoint} as executor {ExecutorId} of framework {FrameworkId} ({UnacknowledgedTasks} unacknowledged tasks, {UnacknowledgedUpdates} unacknowledged updates)")]
    public static partial void Subscribing(ILogger logger, Uri endpoint, string executorId, string frameworkId, int unacknowledgedTasks, int unacknowledgedUpdates);

    [LoggerMessage(2, LogLevel.Information, "Subscribed to agent {AgentId}")]
    public static partial void Subscribed(ILogger logger, string agentId);

    [LoggerMessage(3, LogLevel.Warning, "Disconnected from the agent: {Failure}")]
    public static partial void Disconnected(ILogger logger, string failure);

    [LoggerMessage(4, LogLevel.Information, "Re-subscribing in {Delay} (recovery timeout {RecoveryTimeout}, {Elapsed} elapsed since the first disconnection)")]
    public static partial void Resubscribing(ILogger logger, TimeSpan delay, TimeSpan recoveryTimeout, TimeSpan elapsed);

    [LoggerMessage(5, LogLevel.Error, "Lost the agent and the framework does not checkpoint: shutting down ({Failure})")]
    public static partial void AgentLostWithoutCheckpoint(ILogger logger, string failure);

    [LoggerMessage(6, LogLevel.Error, "Could not reach the agent again within the recovery timeout of {RecoveryTimeout}: shutting down ({Failure})")]
    public static partial void RecoveryTimedOut(ILogger logger, TimeSpan recoveryTimeout, string failure);

    [LoggerMessage(7, LogLevel.Warning, "Skipping an event of unknown type {Type}")]
    public static partial void UnknownEvent(ILogger logger, string type);

    [LoggerMessage(8, LogLevel.Debug, "Acknowledgement of update {Uuid} for task {TaskId} matched no pending update")]
    public static partial void UnknownAcknowledgement(ILogger logger, string uuid, string taskId);

    [LoggerMessage(9, LogLevel.Warning, "{Call} failed for a transport reason; retrying once reconnected: {Failure}")]
    public static partial void CallRetry(ILogger logger, string call, string failure);

    [LoggerMessage(10, LogLevel.Error, "The agent rejected {Call} with {StatusCode}: {Body}")]
    public static partial void CallRejected(ILogger logger, string call, int statusCode, string body);

    [LoggerMessage(11, LogLevel.Error, "The agent reported an error: {Message}")]
    public static partial void AgentError(ILogger logger, string message);

    [LoggerMessage(12, LogLevel.Error, "The agent refused the subscription with {StatusCode}: {Body}")]
    public static partial void SubscribeRejected(ILogger logger, int statusCode, string body);

    [LoggerMessage(20, LogLevel.Error, "The executor's {Handler} handler failed")]
    public static partial void HandlerFailed(ILogger logger, string handler, Exception exception);

    [LoggerMessage(21, LogLevel.Critical, "The executor cannot start")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(22, LogLevel.Information, "The executor is done (exit code {ExitCode})")]
    public static partial void Done(ILogger logger, int exitCode);

    [LoggerMessage(23, LogLevel.Critical, "The executor failed")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Information, "Launching task {TaskId}")]
    public static partial void Launching(ILogger logger, string taskId);

    [LoggerMessage(31, LogLevel.Warning, "Ignoring a launch of task {TaskId}: a task with that id is already known")]
    public static partial void DuplicateLaunch(ILogger logger, string taskId);

    [LoggerMessage(32, LogLevel.Information, "Killing task {TaskId} with a grace period of {GracePeriod}")]
    public static partial void Killing(ILogger logger, string taskId, TimeSpan gracePeriod);

    [LoggerMessage(33, LogLevel.Information, "Task {TaskId} ended {State}: {Message}")]
    public static partial void TaskEnded(ILogger logger, string taskId, string state, string? message);

    [LoggerMessage(34, LogLevel.Warning, "KILL for task {TaskId}, which this executor does not know: answering {State}")]
    public static partial void KillUnknownTask(ILogger logger, string taskId, string state);

    [LoggerMessage(35, LogLevel.Error, "Could not send the {State} update of task {TaskId}")]
    public static partial void UpdateFailed(ILogger logger, string taskId, string state, Exception exception);

    [LoggerMessage(36, LogLevel.Information, "Shutting down {Count} tasks with a grace period of {GracePeriod}")]
    public static partial void ShuttingDown(ILogger logger, int count, TimeSpan gracePeriod);

    [LoggerMessage(37, LogLevel.Warning, "Task {TaskId} of a task group ended {State}: killing the rest of the group")]
    public static partial void GroupMemberEnded(ILogger logger, string taskId, string state);

    [LoggerMessage(38, LogLevel.Information, "All tasks are terminal and acknowledged: exiting")]
    public static partial void Idle(ILogger logger);

    [LoggerMessage(39, LogLevel.Warning, "Shutdown did not finish within the grace period; exiting anyway")]
    public static partial void ShutdownIncomplete(ILogger logger);
}
