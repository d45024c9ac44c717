using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tasks;

/// <summary>
/// How a task ended, as returned by <see cref="ITaskRunner.RunAsync"/>: the executor turns it into the task's
/// terminal status update.
/// </summary>
/// <param name="State">A terminal state (TASK_FINISHED, TASK_FAILED, TASK_KILLED, ...).</param>
/// <param name="Message">Human-readable text for the framework, e.g. "Command exited with status 3".</param>
/// <param name="Reason">The Mesos reason code, e.g. REASON_MAX_COMPLETION_TIME_REACHED.</param>
public sealed record TaskResult(TaskState State, string? Message = null, TaskStatus.Types.Reason? Reason = null)
{
    /// <summary>Optional bytes for the terminal update's <c>data</c> field.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>
    /// Optional <c>healthy</c> of the terminal update: upstream sets it to false on the terminal update of a task
    /// its health check killed, so frameworks can tell that kill from others.
    /// </summary>
    public bool? Healthy { get; init; }

    /// <summary>The task did what it should and ended (exit status 0).</summary>
    public static TaskResult Finished(string? message = null) => new(TaskState.TaskFinished, message);

    /// <summary>The task ended badly (non-zero exit, signal, deadline).</summary>
    public static TaskResult Failed(string message, TaskStatus.Types.Reason? reason = null) => new(TaskState.TaskFailed, message, reason);

    /// <summary>The task was stopped because it was asked to be (KILL, SHUTDOWN, group member failure).</summary>
    public static TaskResult Killed(string? message = null, TaskStatus.Types.Reason? reason = null) => new(TaskState.TaskKilled, message, reason);

    /// <summary>True for the states after which Mesos expects no more updates for a task.</summary>
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed
        or TaskState.TaskKilled or TaskState.TaskError or TaskState.TaskLost or TaskState.TaskDropped
        or TaskState.TaskGone or TaskState.TaskGoneByOperator;
}
