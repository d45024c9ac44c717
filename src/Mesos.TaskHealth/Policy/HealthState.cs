namespace Mesos.TaskHealth;

/// <summary>The health of one target as the policy sees it.</summary>
public enum HealthState
{
    /// <summary>Not yet decided: no success yet and not enough counted failures.</summary>
    Unknown,

    /// <summary>Enough successes in a row.</summary>
    Healthy,

    /// <summary>Enough counted failures in a row (the point at which Mesos kills the task).</summary>
    Unhealthy,
}
