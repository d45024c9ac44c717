namespace Mesos.TaskHealth;

/// <summary>Runs a probe under a timeout and turns every way it can end into a <see cref="ProbeResult"/>.</summary>
public static class HealthProbeExtensions
{
    /// <summary>
    /// Runs one attempt bounded by <paramref name="timeout"/>. The timeout becomes a
    /// <see cref="ProbeFailureKind.Timeout"/> result, an exception becomes <see cref="ProbeFailureKind.Error"/>;
    /// only cancellation of <paramref name="cancellationToken"/> itself is thrown.
    /// </summary>
    public static async ValueTask<ProbeResult> ProbeAsync(
        this IHealthProbe probe,
        TimeSpan timeout,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A probe timeout must be positive");
        }

        timeProvider ??= TimeProvider.System;
        var started = timeProvider.GetTimestamp();
        using var timeoutSource = timeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);

        ProbeResult result;
        try
        {
            result = await probe.ProbeAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = ProbeResult.Unhealthy(ProbeFailureKind.Timeout, $"no answer within {Format(timeout)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = ProbeResult.Unhealthy(ProbeFailureKind.Error, $"probe failed: {ex.GetType().Name}: {ex.Message}");
        }

        return result with { Duration = timeProvider.GetElapsedTime(started) };
    }

    internal static string Format(TimeSpan value) =>
        value.TotalSeconds >= 1 ? $"{value.TotalSeconds:0.###} s" : $"{value.TotalMilliseconds:0.###} ms";
}
