namespace Mesos.TaskHealth;

/// <summary>
/// The health state changed: Unknown → Healthy (first success), Healthy/Unknown → Unhealthy (the
/// failure threshold was reached), Unhealthy → Healthy (recovery).
/// </summary>
public sealed record HealthChanged(
    string Target,
    DateTimeOffset Timestamp,
    HealthState Previous,
    HealthState Current,
    ProbeResult Result,
    int ConsecutiveFailures) : HealthEvent(Target, Timestamp)
{
    /// <summary>True for Unhealthy → Healthy.</summary>
    public bool IsRecovery => Previous == HealthState.Unhealthy && Current == HealthState.Healthy;
}
