namespace Mesos.TaskHealth.Sidecar;

// The JSON file format (also what the command line builds). Durations are text: "10s", "500ms", "2m",
// Mesos' "10secs", or a TimeSpan "00:00:10".

internal sealed class SidecarConfig
{
    public string? Listen { get; set; }

    public bool? ExitOnUnhealthy { get; set; }

    public List<TargetConfig> Targets { get; set; } = [];
}

internal sealed class TargetConfig
{
    public string? Name { get; set; }

    public HttpTargetConfig? Http { get; set; }

    public TcpTargetConfig? Tcp { get; set; }

    public CommandTargetConfig? Command { get; set; }

    public PolicyConfig? Policy { get; set; }
}

internal sealed class HttpTargetConfig
{
    public string? Url { get; set; }

    public string? Method { get; set; }

    public Dictionary<string, string>? Headers { get; set; }

    public string? StatusCodes { get; set; }

    public bool Ignore1xx { get; set; }

    public bool FollowRedirects { get; set; }

    public bool Insecure { get; set; }

    public string? BodyContains { get; set; }

    public string? BodyRegex { get; set; }

    public JsonValueConfig? BodyJson { get; set; }
}

internal sealed class JsonValueConfig
{
    public string? Path { get; set; }

    public string? Value { get; set; }
}

internal sealed class TcpTargetConfig
{
    public string? Host { get; set; }

    public int Port { get; set; }
}

internal sealed class CommandTargetConfig
{
    /// <summary>A command line for /bin/sh -c.</summary>
    public string? Shell { get; set; }

    /// <summary>A program and its arguments, run without a shell.</summary>
    public List<string>? Argv { get; set; }

    public Dictionary<string, string>? Environment { get; set; }
}

internal sealed class PolicyConfig
{
    public string? Delay { get; set; }

    public string? Interval { get; set; }

    public string? Timeout { get; set; }

    public string? GracePeriod { get; set; }

    public int? ConsecutiveFailures { get; set; }

    public int? SuccessesBeforeHealthy { get; set; }
}
