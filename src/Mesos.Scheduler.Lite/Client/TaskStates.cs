namespace Mesos.Scheduler.Lite;

/// <summary>Facts about task states.</summary>
public static class TaskStates
{
    private static readonly Google.Protobuf.Reflection.EnumDescriptor StateDescriptor =
        V1.MesosReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("TaskState");

    /// <summary>
    /// A terminal state: the task will not run again (TASK_UNREACHABLE is not terminal, the agent may come back;
    /// TASK_UNKNOWN is treated as terminal, the master has no record of it).
    /// </summary>
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled
        or TaskState.TaskError or TaskState.TaskLost or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator
        or TaskState.TaskUnknown;

    /// <summary>The protocol name of a state: <c>TASK_RUNNING</c>.</summary>
    public static string ToProtocolName(TaskState state) =>
        StateDescriptor.FindValueByNumber((int)state)?.Name ?? state.ToString();

    /// <summary>Parses <c>TASK_RUNNING</c> (or <c>TaskRunning</c>).</summary>
    public static TaskState Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var value = StateDescriptor.FindValueByName(name.Trim().ToUpperInvariant());
        if (value is not null)
        {
            return (TaskState)value.Number;
        }

        return Enum.TryParse<TaskState>(name, ignoreCase: true, out var parsed)
            ? parsed
            : throw new ArgumentException($"'{name}' is not a Mesos task state (e.g. TASK_FAILED)", nameof(name));
    }
}
