using Microsoft.Extensions.Logging;

namespace Mesos.TaskHealth;

/// <summary>Every log message of this library, source-generated, with unique event ids (5000-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Health of {Target} changed from {Previous} to {Current}: {Reason}")]
    public static partial void HealthChanged(ILogger logger, string target, HealthState previous, HealthState current, string reason);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Probe of {Target} failed ({Failure}): {Reason}; {ConsecutiveFailures} counted in a row, in grace period: {InGracePeriod}")]
    public static partial void ProbeFailed(ILogger logger, string target, ProbeFailureKind failure, string reason, int consecutiveFailures, bool inGracePeriod);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The {EventType} callback for {Target} threw; the monitor goes on")]
    public static partial void EventCallbackFailed(ILogger logger, string target, string eventType, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Could not kill the process tree of health command '{Command}' after its timeout")]
    public static partial void CommandKillFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Running periodic health check of {TaskCount} tasks, prefix '{Prefix}'")]
    public static partial void HelperRound(ILogger logger, int taskCount, string prefix);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Task {TaskId} marked unhealthy after {FailCount} failed checks, prefix '{Prefix}': {Reason}")]
    public static partial void HelperTaskUnhealthy(ILogger logger, string taskId, int failCount, string prefix, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Debug, Message = "Health check of task {TaskId} failed ({FailCount} in a row), prefix '{Prefix}': {Reason}")]
    public static partial void HelperCheckFailed(ILogger logger, string taskId, int failCount, string prefix, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "The task source failed; this health check round is skipped")]
    public static partial void HelperTaskSourceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "The error callback '{EventName}' for task {TaskId} threw; health checking goes on")]
    public static partial void HelperErrorCallbackFailed(ILogger logger, string eventName, string taskId, Exception exception);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "The body check of task {TaskId} threw; counted as a failed check")]
    public static partial void HelperBodyCheckFailed(ILogger logger, string taskId, Exception exception);
}
