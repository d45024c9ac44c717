namespace Mesos.TaskHealth;

/// <summary>The result of one probe attempt: an outcome, a reason when it failed, and what was observed.</summary>
public sealed record ProbeResult
{
    /// <summary>Healthy, unhealthy or ignored.</summary>
    public required ProbeOutcome Outcome { get; init; }

    /// <summary>Why the attempt failed; <see cref="ProbeFailureKind.None"/> unless <see cref="Outcome"/> is unhealthy.</summary>
    public ProbeFailureKind Failure { get; init; }

    /// <summary>A human-readable description ("HTTP 500 is not in 200-399", "exit code 1").</summary>
    public string Message { get; init; } = "";

    /// <summary>The HTTP status code, when the probe got one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The exit code of a command probe, when the command exited by itself.</summary>
    public int? ExitCode { get; init; }

    /// <summary>How long the attempt took (set by the timeout wrapper and the monitor).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when <see cref="Outcome"/> is <see cref="ProbeOutcome.Healthy"/>.</summary>
    public bool IsHealthy => Outcome == ProbeOutcome.Healthy;

    /// <summary>A healthy result.</summary>
    public static ProbeResult Healthy(string message = "ok") =>
        new() { Outcome = ProbeOutcome.Healthy, Message = message };

    /// <summary>An unhealthy result with its reason.</summary>
    public static ProbeResult Unhealthy(ProbeFailureKind failure, string message)
    {
        if (failure == ProbeFailureKind.None)
        {
            throw new ArgumentException("An unhealthy result needs a failure kind other than None", nameof(failure));
        }

        return new() { Outcome = ProbeOutcome.Unhealthy, Failure = failure, Message = message };
    }

    /// <summary>A result that is discarded and changes no state.</summary>
    public static ProbeResult Ignored(string message) =>
        new() { Outcome = ProbeOutcome.Ignored, Message = message };

    /// <inheritdoc />
    public override string ToString() => Outcome switch
    {
        ProbeOutcome.Unhealthy => $"Unhealthy ({Failure}): {Message}",
        _ => $"{Outcome}: {Message}",
    };
}
