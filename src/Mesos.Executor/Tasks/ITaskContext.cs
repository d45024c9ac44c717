using ExecutorInfo = Mesos.V1.ExecutorInfo;
using FrameworkInfo = Mesos.V1.FrameworkInfo;
using TaskGroupInfo = Mesos.V1.TaskGroupInfo;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tasks;

/// <summary>What a <see cref="ITaskRunner"/> gets besides its task: status updates, the kill policy, and where it runs.</summary>
public interface ITaskContext
{
    /// <summary>The task being run.</summary>
    TaskInfo Task { get; }

    /// <summary>The executor's own description, from the latest SUBSCRIBED event.</summary>
    ExecutorInfo Executor { get; }

    /// <summary>The framework the task belongs to (its capabilities, user, ...), from the latest SUBSCRIBED event.</summary>
    FrameworkInfo Framework { get; }

    /// <summary>The other tasks launched with this one in a LAUNCH_GROUP (this one included); null for a plain LAUNCH.</summary>
    TaskGroupInfo? Group { get; }

    /// <summary>The executor's sandbox (<c>MESOS_SANDBOX</c>): the task's working directory unless it says otherwise.</summary>
    string SandboxDirectory { get; }

    /// <summary>
    /// The time between the graceful kill (the <c>kill</c> token of <see cref="ITaskRunner.RunAsync"/>) and
    /// <see cref="ForceKill"/>: the KILL event's <c>kill_policy</c>, else the task's, else 3 seconds; on SHUTDOWN the
    /// executor's shutdown grace period minus a margin, if shorter. A second KILL can only shorten it.
    /// </summary>
    TimeSpan KillGracePeriod { get; }

    /// <summary>Fires when <see cref="KillGracePeriod"/> has passed since the graceful kill: kill everything now.</summary>
    CancellationToken ForceKill { get; }

    /// <summary>
    /// Sends a non-terminal status update for this task (task id, uuid, timestamp, executor id and source are
    /// filled in) and returns once the agent accepted it. It is kept and resent until the agent acknowledges it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is terminal: return a <see cref="TaskResult"/> instead.</exception>
    Task UpdateAsync(TaskState state, string? message = null, TaskStatus.Types.Reason? reason = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a non-terminal status update built by the caller (for <c>healthy</c>, <c>check_status</c>, <c>data</c>,
    /// labels, ...). Its task id is set to this task's; uuid, timestamp, executor id and source are filled in.
    /// </summary>
    /// <exception cref="ArgumentException">The state is terminal: return a <see cref="TaskResult"/> instead.</exception>
    Task UpdateAsync(TaskStatus status, CancellationToken cancellationToken = default);
}
