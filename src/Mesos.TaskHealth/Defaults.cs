namespace Mesos.TaskHealth;

/// <summary>Every default of this library, named once.</summary>
internal static class Defaults
{
    // Mesos HealthCheck defaults (include/mesos/v1/mesos.proto, HealthCheck message).
    public static readonly TimeSpan MesosDelay = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MesosInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MesosTimeout = TimeSpan.FromSeconds(20);
    public const int MesosConsecutiveFailures = 3;
    public static readonly TimeSpan MesosGracePeriod = TimeSpan.FromSeconds(10);

    // Upstream probes 127.0.0.1, not localhost: some container images have no 'localhost' in /etc/hosts.
    public const string MesosHost = "127.0.0.1";

    // A generic policy that starts probing at once.
    public static readonly TimeSpan PolicyInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PolicyTimeout = TimeSpan.FromSeconds(5);
    public const int PolicyConsecutiveFailures = 3;
    public const int PolicySuccessesBeforeHealthy = 1;

    // mesos-framework taskHealthHelper defaults.
    public static readonly TimeSpan HelperInterval = TimeSpan.FromSeconds(30);
    public const int HelperGraceCount = 4;
    public const int HelperPortIndex = 0;
    public const string HelperErrorEventSuffix = "task_unhealthy";

    // The seed had no request timeout at all; ours bounds every probe.
    public static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(10);

    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxRedirects = 10;
    public const int CommandOutputTailBytes = 512;
}
