namespace Mesos.TaskHealth;

/// <summary>Where one target stands now.</summary>
public sealed record HealthSnapshot(
    string Target,
    HealthState State,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses,
    bool InGracePeriod,
    long Probes,
    ProbeResult? LastResult,
    DateTimeOffset? LastProbeAt);
