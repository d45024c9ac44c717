namespace Mesos.TaskHealth;

/// <summary>
/// One check of one target. A probe does a single attempt and reports what it saw; it never retries
/// (consecutive failures are the retry) and never decides health on its own: the policy state machine does.
/// </summary>
/// <remarks>
/// The caller bounds every attempt with a timeout through <paramref name="cancellationToken"/>
/// (see <see cref="HealthProbeExtensions.ProbeAsync(IHealthProbe, TimeSpan, TimeProvider?, CancellationToken)"/>);
/// a probe must stop promptly when it is cancelled and release what it holds (sockets, processes).
/// </remarks>
public interface IHealthProbe
{
    /// <summary>Runs one attempt. Throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default);
}
