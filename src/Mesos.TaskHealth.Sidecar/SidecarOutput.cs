namespace Mesos.TaskHealth.Sidecar;

// What the sidecar writes: stdout lines and the status endpoint's body.

internal sealed record ListeningLine(string Type, string Url);

internal sealed record TransitionLine(
    string Type,
    string Target,
    string From,
    string To,
    DateTimeOffset At,
    int ConsecutiveFailures,
    string Failure,
    string Reason);

internal sealed record StatusBody(string Status, List<TargetStatus> Targets);

internal sealed record TargetStatus(
    string Name,
    string State,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses,
    bool InGracePeriod,
    long Probes,
    DateTimeOffset? LastProbeAt,
    ResultStatus? LastResult);

internal sealed record ResultStatus(string Outcome, string Failure, string Message, int? StatusCode, int? ExitCode, double DurationMs);
