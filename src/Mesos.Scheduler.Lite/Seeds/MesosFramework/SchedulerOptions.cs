using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite.Seeds.MesosFramework;

/// <summary>mesos-framework's Scheduler options, one property per seed option, mapped onto <see cref="FrameworkSchedulerOptions"/>.</summary>
public sealed record SchedulerOptions
{
    /// <summary>The leading master's host (mesos-framework <c>masterUrl</c>), or a full URL.</summary>
    public required string MasterUrl { get; init; }

    public int Port { get; init; } = 5050;

    /// <summary>Keep framework id and tasks in ZooKeeper: needs <see cref="StateStore"/> set to the ZooKeeper store.</summary>
    public bool UseZk { get; init; }

    public string ZkUrl { get; init; } = "master.mesos:2181";

    public string ZkPrefix { get; init; } = "/dcos-service-";

    public string User { get; init; } = "root";

    public string Role { get; init; } = "*";

    public string? FrameworkName { get; init; }

    public IReadOnlyList<TaskState>? RestartStates { get; init; }

    public TimeSpan MasterConnectionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FrameworkFailoverTimeout { get; init; } = TimeSpan.FromSeconds(604800);

    public double ExponentialBackoffFactor { get; init; } = 1.5;

    public TimeSpan ExponentialBackoffMinimum { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ExponentialBackoffMaximum { get; init; } = TimeSpan.FromSeconds(15);

    public IReadOnlyDictionary<string, TaskSpec> Tasks { get; init; } = new Dictionary<string, TaskSpec>();

    /// <summary>Per upper-case event name, a handler replacing the built-in one.</summary>
    public IReadOnlyDictionary<string, SchedulerEventHandler> Handlers { get; init; } = new Dictionary<string, SchedulerEventHandler>();

    public bool StaticPorts { get; init; }

    public bool SerialNumberedTasks { get; init; } = true;

    public bool KillUnknownTasks { get; init; }

    /// <summary>mesos-framework <c>logging</c>: here an <see cref="ILoggerFactory"/> (configure levels on it).</summary>
    public ILoggerFactory? Logging { get; init; }

    /// <summary>Where state lives; with <see cref="UseZk"/> this must be the ZooKeeper store (see the ZooKeeper package).</summary>
    public ISchedulerStateStore? StateStore { get; init; }

    /// <summary>Leader detection when <see cref="UseZk"/> (the ZooKeeper master detector).</summary>
    public IMasterDetector? MasterDetector { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The options of the task manager these seed options mean.</summary>
    public FrameworkSchedulerOptions ToFrameworkSchedulerOptions(Func<Call, ValueTask>? onCallSent = null)
    {
        if (UseZk && StateStore is null)
        {
            throw new InvalidOperationException("SchedulerOptions.UseZk needs StateStore set to the ZooKeeper state store (ZkUrl " + ZkUrl + ", prefix " + ZkPrefix + ")");
        }

        var master = MasterUrl.Contains("://", StringComparison.Ordinal) ? MasterUrl : $"http://{MasterUrl}:{Port}";
        var backoff = new BackoffOptions { Factor = ExponentialBackoffFactor, Minimum = ExponentialBackoffMinimum, Maximum = ExponentialBackoffMaximum };
        var client = new SchedulerClientOptions
        {
            Masters = [MasterEndpoints.ToSchedulerEndpoint(master)],
            Framework = new FrameworkOptions
            {
                User = User,
                Name = FrameworkName ?? "mesos-framework." + Guid.NewGuid().ToString("N"),
                Roles = Role == "*" ? [] : [Role],
                FailoverTimeout = FrameworkFailoverTimeout,
            },
            MasterConnectionTimeout = MasterConnectionTimeout,
            Backoff = backoff,
            MasterDetector = MasterDetector,
            OnCallSent = onCallSent,
            LoggerFactory = Logging,
            TimeProvider = TimeProvider,
        };
        var options = new FrameworkSchedulerOptions
        {
            Client = client,
            Tasks = Tasks,
            StaticPorts = StaticPorts,
            SerialNumberedTasks = SerialNumberedTasks,
            KillUnknownTasks = KillUnknownTasks,
            RestartBackoff = backoff,
            Handlers = Handlers,
            StateStore = StateStore ?? new InMemoryStateStore(),
        };
        return RestartStates is null ? options : options with { RestartStates = RestartStates };
    }
}
