namespace Mesos.TaskHealth;

/// <summary>
/// A launched task as the taskHealthHelper sees it: where it runs and on which ports. Only tasks with
/// <see cref="IsRunning"/> (Mesos' <c>TASK_RUNNING</c>) are probed.
/// </summary>
/// <param name="TaskId">The task id; per-task properties are kept under it.</param>
/// <param name="Name">The task name, matched by <see cref="TaskHealthHelperOptions.TaskNameFilter"/>.</param>
/// <param name="Host">The host name or IP the task is reachable at; tasks without one are skipped.</param>
/// <param name="Ports">The task's ports; <see cref="TaskHealthHelperOptions.PortIndex"/> picks one.</param>
public sealed record HealthCheckedTask(string TaskId, string Name, string? Host, IReadOnlyList<int> Ports)
{
    /// <summary>True when the task's last known state is <c>TASK_RUNNING</c>.</summary>
    public bool IsRunning { get; init; } = true;
}
