namespace Mesos.TaskHealth;

/// <summary>
/// The policy's pure part: results in, events out, no timers and no I/O, so every rule is testable with
/// plain timestamps. Not thread-safe: one monitor loop drives it.
/// </summary>
internal sealed class HealthStateMachine
{
    private readonly string _target;
    private readonly HealthPolicy _policy;
    private readonly DateTimeOffset _graceEndsAt;
    private bool _graceOver;

    public HealthStateMachine(string target, HealthPolicy policy, DateTimeOffset startedAt)
    {
        _target = target;
        _policy = policy;
        _graceEndsAt = startedAt + policy.GracePeriod;
        _graceOver = policy.GracePeriod == TimeSpan.Zero;
    }

    public HealthState State { get; private set; } = HealthState.Unknown;

    public int ConsecutiveFailures { get; private set; }

    public int ConsecutiveSuccesses { get; private set; }

    public long Probes { get; private set; }

    public ProbeResult? LastResult { get; private set; }

    public DateTimeOffset? LastProbeAt { get; private set; }

    public bool InGracePeriod(DateTimeOffset now) => !_graceOver && now < _graceEndsAt;

    public HealthSnapshot Snapshot(DateTimeOffset now) =>
        new(_target, State, ConsecutiveFailures, ConsecutiveSuccesses, InGracePeriod(now), Probes, LastResult, LastProbeAt);

    /// <summary>Feeds one result observed at <paramref name="now"/>; returns the events it causes, in order.</summary>
    public IReadOnlyList<HealthEvent> Observe(ProbeResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        Probes++;
        LastResult = result;
        LastProbeAt = now;
        switch (result.Outcome)
        {
            case ProbeOutcome.Healthy:
                // Mesos: the grace period ends at the first success, whenever that is.
                _graceOver = true;
                ConsecutiveFailures = 0;
                ConsecutiveSuccesses++;
                if (State != HealthState.Healthy && ConsecutiveSuccesses >= _policy.SuccessesBeforeHealthy)
                {
                    return [Change(HealthState.Healthy, result, now)];
                }

                return [];

            case ProbeOutcome.Unhealthy:
                ConsecutiveSuccesses = 0;
                if (InGracePeriod(now))
                {
                    return [new ProbeFailed(_target, now, result, ConsecutiveFailures, InGracePeriod: true)];
                }

                ConsecutiveFailures++;
                var failed = new ProbeFailed(_target, now, result, ConsecutiveFailures, InGracePeriod: false);
                if (State != HealthState.Unhealthy && ConsecutiveFailures >= _policy.ConsecutiveFailures)
                {
                    return [failed, Change(HealthState.Unhealthy, result, now)];
                }

                return [failed];

            default:
                // Ignored: changes nothing but the record of the last attempt.
                return [];
        }
    }

    private HealthChanged Change(HealthState next, ProbeResult result, DateTimeOffset now)
    {
        var previous = State;
        State = next;
        return new HealthChanged(_target, now, previous, next, result, ConsecutiveFailures);
    }
}
