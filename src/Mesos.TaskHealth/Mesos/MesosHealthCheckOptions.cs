namespace Mesos.TaskHealth;

/// <summary>
/// A Mesos <c>HealthCheck</c> in engine terms, with upstream's defaults (delay 15 s, interval 10 s, timeout
/// 20 s, 3 consecutive failures, grace 10 s). The executor maps <c>TaskInfo.health_check</c> onto it and
/// kills the task when the target becomes <see cref="HealthState.Unhealthy"/>.
/// See https://mesos.apache.org/documentation/latest/health-checks/.
/// </summary>
public sealed record MesosHealthCheckOptions
{
    /// <summary><c>HealthCheck.type</c>.</summary>
    public required MesosHealthCheckType Type { get; init; }

    /// <summary><c>delay_seconds</c>: wait before the first check.</summary>
    public TimeSpan Delay { get; init; } = Defaults.MesosDelay;

    /// <summary><c>interval_seconds</c>: pause between checks.</summary>
    public TimeSpan Interval { get; init; } = Defaults.MesosInterval;

    /// <summary><c>timeout_seconds</c>: longest one check may take.</summary>
    public TimeSpan Timeout { get; init; } = Defaults.MesosTimeout;

    /// <summary><c>consecutive_failures</c>: counted failures in a row before the task is killed.</summary>
    public int ConsecutiveFailures { get; init; } = Defaults.MesosConsecutiveFailures;

    /// <summary><c>grace_period_seconds</c>: failures are not counted this long after launch, or until the first success.</summary>
    public TimeSpan GracePeriod { get; init; } = Defaults.MesosGracePeriod;

    /// <summary><c>http.port</c> / <c>tcp.port</c>.</summary>
    public int Port { get; init; }

    /// <summary><c>http.scheme</c>: <c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; init; } = "http";

    /// <summary><c>http.path</c>, e.g. <c>/health</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// Where HTTP and TCP checks connect. Upstream uses 127.0.0.1 inside the task's network namespace
    /// (<c>::1</c> for <c>protocol: IPv6</c>).
    /// </summary>
    public string Host { get; init; } = Defaults.MesosHost;

    /// <summary><c>command</c>: the command to run for <see cref="MesosHealthCheckType.Command"/>.</summary>
    public CommandProbeOptions? Command { get; init; }

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        ToPolicy().Validate();
        switch (Type)
        {
            case MesosHealthCheckType.Http or MesosHealthCheckType.Tcp when Port is < 1 or > 65535:
                throw new ArgumentOutOfRangeException(
                    nameof(Port), Port, $"MesosHealthCheckOptions.Port must be 1-65535 for a {Type} health check (was {Port})");
            case MesosHealthCheckType.Http when Scheme is not ("http" or "https"):
                throw new ArgumentException(
                    $"MesosHealthCheckOptions.Scheme must be 'http' or 'https' (was '{Scheme}')", nameof(Scheme));
            case MesosHealthCheckType.Command when Command is null:
                throw new ArgumentException(
                    "MesosHealthCheckOptions.Command must be set for a COMMAND health check", nameof(Command));
            case MesosHealthCheckType.Command:
                Command!.Validate();
                break;
        }
    }

    /// <summary>The policy: delay, interval, timeout, grace, consecutive failures; healthy at the first success.</summary>
    public HealthPolicy ToPolicy() => new()
    {
        InitialDelay = Delay,
        Interval = Interval,
        Timeout = Timeout,
        GracePeriod = GracePeriod,
        ConsecutiveFailures = ConsecutiveFailures,
        SuccessesBeforeHealthy = 1,
    };

    /// <summary>
    /// The probe. HTTP follows redirects and skips certificate validation, as upstream's
    /// <c>curl -s -S -L -k</c> does, and accepts 200-399.
    /// </summary>
    public IHealthProbe CreateProbe(HttpClient? httpClient = null)
    {
        Validate();
        return Type switch
        {
            MesosHealthCheckType.Http => HealthProbes.Http(
                new HttpProbeOptions
                {
                    Url = BuildUrl(),
                    AcceptedStatusCodes = StatusCodeSet.MesosDefault,
                    FollowRedirects = true,
                    AcceptAnyServerCertificate = true,
                },
                httpClient),
            MesosHealthCheckType.Tcp => HealthProbes.Tcp(Host, Port),
            _ => HealthProbes.Command(Command!),
        };
    }

    /// <summary>A named target with this probe and policy, ready for <see cref="HealthMonitor.Start"/>.</summary>
    public HealthTarget ToTarget(string name, HttpClient? httpClient = null) => new(name, CreateProbe(httpClient), ToPolicy());

    internal Uri BuildUrl()
    {
        var path = Path.Length == 0 || Path.StartsWith('/') ? Path : "/" + Path;
        var host = Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]" : Host;
        return new Uri($"{Scheme}://{host}:{Port}{path}", UriKind.Absolute);
    }
}
