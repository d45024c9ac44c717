namespace Mesos.TaskHealth;

/// <summary>Something a monitored target did. A closed hierarchy: <see cref="HealthChanged"/> or <see cref="ProbeFailed"/>.</summary>
public abstract record HealthEvent
{
    private protected HealthEvent(string target, DateTimeOffset timestamp)
    {
        Target = target;
        Timestamp = timestamp;
    }

    /// <summary>The target's name.</summary>
    public string Target { get; }

    /// <summary>When the probe that caused the event ended.</summary>
    public DateTimeOffset Timestamp { get; }
}

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

/// <summary>
/// One probe failed. Raised for every failure, counted or not, so a caller can report each one (Mesos
/// sends a <c>healthy: false</c> update per failure) and knows why.
/// </summary>
public sealed record ProbeFailed(
    string Target,
    DateTimeOffset Timestamp,
    ProbeResult Result,
    int ConsecutiveFailures,
    bool InGracePeriod) : HealthEvent(Target, Timestamp);
