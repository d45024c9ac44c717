namespace Mesos.TaskHealth;

/// <summary>
/// When and how often a target is probed and how results become a health state. One policy per target;
/// probes know nothing of it.
/// </summary>
public sealed record HealthPolicy
{
    /// <summary>Wait before the first probe; zero unless set.</summary>
    public TimeSpan InitialDelay { get; init; }

    /// <summary>Pause between the end of one probe and the start of the next (probes never overlap); zero probes back to back.</summary>
    public TimeSpan Interval { get; init; } = Defaults.PolicyInterval;

    /// <summary>Longest one probe may take; an attempt past it fails with <see cref="ProbeFailureKind.Timeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = Defaults.PolicyTimeout;

    /// <summary>
    /// Time from the start of monitoring during which failures are reported but not counted. It ends early
    /// at the first success (Mesos' <c>grace_period_seconds</c>). Zero: every failure counts.
    /// </summary>
    public TimeSpan GracePeriod { get; init; }

    /// <summary>Counted failures in a row that make the target unhealthy (Mesos' <c>consecutive_failures</c>).</summary>
    public int ConsecutiveFailures { get; init; } = Defaults.PolicyConsecutiveFailures;

    /// <summary>Successes in a row that make the target healthy; 1 unless set.</summary>
    public int SuccessesBeforeHealthy { get; init; } = Defaults.PolicySuccessesBeforeHealthy;

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        NotNegative(InitialDelay, nameof(InitialDelay));
        NotNegative(Interval, nameof(Interval));
        NotNegative(GracePeriod, nameof(GracePeriod));
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Timeout), Timeout, $"HealthPolicy.Timeout must be positive (was {Timeout}): every probe needs a time limit");
        }

        if (ConsecutiveFailures < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ConsecutiveFailures), ConsecutiveFailures, $"HealthPolicy.ConsecutiveFailures must be at least 1 (was {ConsecutiveFailures})");
        }

        if (SuccessesBeforeHealthy < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SuccessesBeforeHealthy), SuccessesBeforeHealthy, $"HealthPolicy.SuccessesBeforeHealthy must be at least 1 (was {SuccessesBeforeHealthy})");
        }
    }

    private static void NotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"HealthPolicy.{name} must not be negative (was {value})");
        }
    }
}
