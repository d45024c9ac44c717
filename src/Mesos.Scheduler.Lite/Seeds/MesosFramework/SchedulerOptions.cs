using Microsoft.Extensions.Logging;

namespace Mesos.Scheduler.Lite.Seeds.MesosFramework;

/// <summary>mesos-framework's Scheduler options, one property per seed option, mapped onto <see cref="FrameworkSchedulerOptions"/>.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// The leading master's host (mesos-framework <c>masterUrl</c>; <c>leader.mesos</c> with Mesos-DNS), a full URL, or a
    /// <c>zk://host:2181/mesos</c> URL to follow the leader in ZooKeeper (then <see cref="Port"/> is not used).
    /// </summary>
    public required string MasterUrl { get; init; }

    public int Port { get; init; } = 5050;

    /// <summary>
    /// Keep the framework id and tasks in ZooKeeper at <see cref="ZkUrl"/>, under <c>ZkPrefix + FrameworkName</c>
    /// (<c>framework-id</c>, <c>tasks/&lt;taskId&gt;</c>), so a restarted scheduler resumes as the same framework.
    /// Give a fixed <see cref="FrameworkName"/>: the default one is new on every start.
    /// </summary>
    public bool UseZk { get; init; }

    /// <summary>The ZooKeeper servers (a connect string, optionally with chroot, or a <c>zk://</c> URL).</summary>
    public string ZkUrl { get; init; } = Defaults.ZkUrl;

    public string ZkPrefix { get; init; } = Defaults.ZkPrefix;

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

    /// <summary>Where state lives, overriding <see cref="UseZk"/>'s ZooKeeper store; default: in memory (or ZooKeeper with <see cref="UseZk"/>).</summary>
    public ISchedulerStateStore? StateStore { get; init; }

    /// <summary>Leader detection, overriding the <see cref="ZooKeeperMasterDetector"/> a <c>zk://</c> <see cref="MasterUrl"/> makes.</summary>
    public IMasterDetector? MasterDetector { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The options of the task manager these seed options mean. With <see cref="UseZk"/> (and no <see cref="StateStore"/>)
    /// or a <c>zk://</c> <see cref="MasterUrl"/> (and no <see cref="MasterDetector"/>) the result holds a
    /// <see cref="ZooKeeperStateStore"/> or <see cref="ZooKeeperMasterDetector"/> made here, which connect on first use and
    /// which the caller disposes (<see cref="Scheduler"/> does).
    /// </summary>
    public FrameworkSchedulerOptions ToFrameworkSchedulerOptions(Func<Call, ValueTask>? onCallSent = null)
    {
        var name = FrameworkName ?? "mesos-framework." + Guid.NewGuid().ToString("N");
        var stateStore = StateStore ?? (UseZk ? ZooKeeperStateStore.ForFramework(ZkUrl, ZkPrefix, name, Logging) : new InMemoryStateStore());
        var fromZooKeeper = ZooKeeperMasterDetector.IsZooKeeperUrl(MasterUrl);
        var detector = MasterDetector ?? (fromZooKeeper
            ? new ZooKeeperMasterDetector(new ZooKeeperMasterDetectorOptions { Url = MasterUrl, LoggerFactory = Logging, TimeProvider = TimeProvider })
            : null);
        var master = MasterUrl.Contains("://", StringComparison.Ordinal) ? MasterUrl : $"http://{MasterUrl}:{Port}";
        var backoff = new BackoffOptions { Factor = ExponentialBackoffFactor, Minimum = ExponentialBackoffMinimum, Maximum = ExponentialBackoffMaximum };
        var client = new SchedulerClientOptions
        {
            Masters = fromZooKeeper ? [] : [MasterEndpoints.ToSchedulerEndpoint(master)],
            Framework = new FrameworkOptions
            {
                User = User,
                Name = name,
                Roles = Role == "*" ? [] : [Role],
                FailoverTimeout = FrameworkFailoverTimeout,
            },
            MasterConnectionTimeout = MasterConnectionTimeout,
            Backoff = backoff,
            MasterDetector = detector,
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
            StateStore = stateStore,
        };
        return RestartStates is null ? options : options with { RestartStates = RestartStates };
    }
}
