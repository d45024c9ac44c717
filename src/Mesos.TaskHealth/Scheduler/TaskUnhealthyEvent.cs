namespace Mesos.TaskHealth;

/// <summary>
/// The taskHealthHelper's error event (the seed emits <c>errorEvent</c> with the task): raised when a task's
/// failure count reaches the grace count, and again on every later failure until a success.
/// </summary>
/// <param name="EventName">The configured error event name (prefix + <c>task_unhealthy</c> unless set).</param>
/// <param name="Task">The task that failed.</param>
/// <param name="CheckFailCount">Failures in a row so far.</param>
/// <param name="Result">The failed probe and its reason.</param>
/// <param name="Properties">The task's properties after this failure.</param>
public sealed record TaskUnhealthyEvent(
    string EventName,
    HealthCheckedTask Task,
    int CheckFailCount,
    ProbeResult Result,
    IReadOnlyDictionary<string, object> Properties);
