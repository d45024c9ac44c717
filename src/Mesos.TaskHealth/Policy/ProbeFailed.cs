namespace Mesos.TaskHealth;

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
