using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Runner.Execution;

/// <summary>The runner's log messages (event ids 4000-4099).</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Warning, "Task {TaskId} rejected: {Reason}")]
    public static partial void TaskRejected(ILogger logger, string taskId, string reason);

    [LoggerMessage(4001, LogLevel.Information, "Task {TaskId} starting {ProcessCount} process(es): {Processes}")]
    public static partial void TaskStarting(ILogger logger, string taskId, int processCount, string processes);

    [LoggerMessage(4002, LogLevel.Information, "Task {TaskId}: process {Process} (pid {Pid}) ended with {Status}")]
    public static partial void ProcessExited(ILogger logger, string taskId, string process, int pid, string status);

    [LoggerMessage(4003, LogLevel.Warning, "Task {TaskId}: process {Process} could not start: {Reason}")]
    public static partial void ProcessStartFailed(ILogger logger, string taskId, string process, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Task {TaskId}: process {Process} ended with {Status}; restart {Restart} in {Delay}")]
    public static partial void ProcessRestarting(ILogger logger, string taskId, string process, string status, int restart, TimeSpan delay);

    [LoggerMessage(4005, LogLevel.Information, "Task {TaskId} stopping ({Cause}), SIGKILL after {Grace}")]
    public static partial void TaskStopping(ILogger logger, string taskId, string cause, TimeSpan grace);

    [LoggerMessage(4006, LogLevel.Warning, "Task {TaskId}: the {State} update was not accepted: {Reason}")]
    public static partial void UpdateFailed(ILogger logger, string taskId, string state, string reason);
}
