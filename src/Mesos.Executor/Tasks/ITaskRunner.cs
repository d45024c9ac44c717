using TaskInfo = Mesos.V1.TaskInfo;

namespace Mesos.Executor.Tasks;

/// <summary>
/// Runs one Mesos task from launch to its end. The executor (the built-in <c>TaskRunnerExecutor</c>, registered by
/// <c>services.AddMesosTaskRunner&lt;TRunner&gt;()</c>) calls
/// <see cref="RunAsync"/> once per task of a LAUNCH or LAUNCH_GROUP, each call on its own, and owns everything
/// around it: the Mesos connection, TASK_STARTING before the call, TASK_KILLING on KILL, the terminal update built
/// from the returned <see cref="TaskResult"/>, the acknowledgement ledger, and the executor's exit.
/// </summary>
/// <remarks>
/// <para>Contract:</para>
/// <list type="bullet">
/// <item>Send TASK_RUNNING (and health or check updates) through <see cref="ITaskContext.UpdateAsync(Mesos.V1.TaskState, string?, Mesos.V1.TaskStatus.Types.Reason?, CancellationToken)"/>
/// once the task is really running. Never send a terminal state yourself: return it.</item>
/// <item><c>kill</c> is the graceful kill: when it fires, stop the task gently (SIGTERM to its process
/// group) and return <see cref="TaskResult.Killed"/> once it has stopped. <see cref="ITaskContext.ForceKill"/> fires
/// when the grace period (<see cref="ITaskContext.KillGracePeriod"/>) has run out: stop it forcefully (SIGKILL to the
/// whole tree). Return only after everything the task started is gone.</item>
/// <item>The returned state must be terminal (FINISHED, FAILED, KILLED, ERROR, LOST, DROPPED, GONE); anything else
/// is reported as TASK_FAILED. An exception is reported as TASK_FAILED naming it, or as TASK_KILLED when it is an
/// <see cref="OperationCanceledException"/> after <c>kill</c> fired.</item>
/// </list>
/// </remarks>
public interface ITaskRunner
{
    /// <summary>Runs <paramref name="task"/> until it ends or is killed, and says how it ended.</summary>
    /// <param name="task">The task as the agent sent it (what to run is in <c>data</c>, or <c>command</c> for a task group member).</param>
    /// <param name="context">Status updates, the kill grace period and the forceful-kill token for this task.</param>
    /// <param name="kill">Fires on KILL, SHUTDOWN, a sibling's failure in a task group, or the loss of the agent.</param>
    Task<TaskResult> RunAsync(TaskInfo task, ITaskContext context, CancellationToken kill);
}
