namespace Mesos.Scheduler.Lite;

/// <summary>Jittered exponential backoff: attempt n waits a random time in [d/2, d] where d = min(Minimum × Factor^(n-1), Maximum).</summary>
public sealed record BackoffOptions
{
    public static BackoffOptions Default { get; } = new();

    /// <summary>mesos-framework <c>exponentialBackoffFactor</c> (1.5).</summary>
    public double Factor { get; init; } = Defaults.BackoffFactor;

    /// <summary>mesos-framework <c>exponentialBackoffMinimum</c> (1 s).</summary>
    public TimeSpan Minimum { get; init; } = Defaults.BackoffMinimum;

    /// <summary>mesos-framework <c>exponentialBackoffMaximum</c> (15 s).</summary>
    public TimeSpan Maximum { get; init; } = Defaults.BackoffMaximum;

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based), with <paramref name="random"/> in [0, 1) as jitter.</summary>
    public TimeSpan DelayFor(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ceiling = Minimum.TotalMilliseconds * Math.Pow(Factor, Math.Min(attempt - 1, 64));
        ceiling = Math.Min(ceiling, Maximum.TotalMilliseconds);
        // Jitter in the upper half keeps many schedulers from retrying in step yet never goes below Minimum / 2.
        var delay = ceiling * (0.5 + (0.5 * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Max(delay, Minimum.TotalMilliseconds / 2));
    }

    internal void Validate(string owner)
    {
        if (!(Factor >= 1) || double.IsInfinity(Factor))
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), Factor, $"{owner}.Factor must be a finite number of at least 1");
        }

        if (Minimum <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Minimum), Minimum, $"{owner}.Minimum must be positive");
        }

        if (Maximum < Minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(Maximum), Maximum, $"{owner}.Maximum must not be less than Minimum ({Minimum})");
        }
    }
}
