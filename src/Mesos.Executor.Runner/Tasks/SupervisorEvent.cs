using Mesos.Executor.Runner.Processes;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>What a <see cref="ProcessSetSupervisor"/> reports, in order; <see cref="TaskEnded"/> is always last.</summary>
internal abstract record SupervisorEvent
{
    private protected SupervisorEvent()
    {
    }
}

/// <summary>A process started (<paramref name="Restarts"/> is 0 the first time).</summary>
internal sealed record ProcessStarted(string Process, int Pid, int Restarts) : SupervisorEvent;

/// <summary>A process could not be started at all; <paramref name="Message"/> says why.</summary>
internal sealed record ProcessStartFailed(string Process, string Message) : SupervisorEvent;

/// <summary>A process ended and was reaped (its tree is gone).</summary>
internal sealed record ProcessExited(string Process, int Pid, ProcessExitStatus Status, ProcessStopReason StoppedBy) : SupervisorEvent;

/// <summary>A process will start again after <paramref name="Delay"/> (restart number <paramref name="Restart"/>, from 1).</summary>
internal sealed record ProcessRestartScheduled(string Process, int Restart, TimeSpan Delay) : SupervisorEvent;

/// <summary>Every essential process runs (reported once: Mesos' TASK_RUNNING).</summary>
internal sealed record TaskRunning : SupervisorEvent;

/// <summary>The supervisor is stopping the processes (SIGTERM now, SIGKILL after <paramref name="Grace"/>).</summary>
internal sealed record TaskStopping(string Reason, TimeSpan Grace) : SupervisorEvent;

/// <summary>Everything is reaped; the task's terminal state.</summary>
internal sealed record TaskEnded(TaskOutcome Outcome) : SupervisorEvent;

internal enum TaskOutcomeKind
{
    /// <summary>Every essential process exited 0 for good (Mesos TASK_FINISHED).</summary>
    Finished,

    /// <summary>An essential process failed beyond its restart budget (TASK_FAILED).</summary>
    Failed,

    /// <summary>Stopped on request (TASK_KILLED).</summary>
    Killed,

    /// <summary>An essential process could not be started at all (TASK_ERROR / TASK_FAILED with the reason).</summary>
    Error,
}

/// <summary>How a task ended; <paramref name="Message"/> names the process and how it ended.</summary>
internal sealed record TaskOutcome(TaskOutcomeKind Kind, string Message);
