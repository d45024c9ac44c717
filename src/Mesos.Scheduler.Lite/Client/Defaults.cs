namespace Mesos.Scheduler.Lite;

/// <summary>Every default of this library, in one place.</summary>
internal static class Defaults
{
    // Mesos' own default is 0: tasks die as soon as the scheduler disconnects. A week survives any restart.
    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromDays(7);
    public const string User = "root";
    public const string FrameworkName = "Mesos.Scheduler.Lite";

    // mesos-framework's exponentialBackoffFactor / Minimum / Maximum.
    public const double BackoffFactor = 1.5;
    public static readonly TimeSpan BackoffMinimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BackoffMaximum = TimeSpan.FromSeconds(15);

    // Mesos sends HEARTBEAT every 15 s; about five missed ones mean the connection is dead.
    public const int MissedHeartbeats = 5;
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    // mesos-framework's masterConnectionTimeout: the wait for SUBSCRIBED after the stream opened.
    public static readonly TimeSpan MasterConnectionTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ImplicitReconciliationInterval = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ReconciliationRetryMinimum = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ReconciliationRetryMaximum = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DeclineRefuse = TimeSpan.FromHours(1);
    public static readonly TimeSpan AcceptRefuse = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ReviveMinimumInterval = TimeSpan.FromSeconds(5);

    public static readonly Uri DcosLoginEndpoint = new("https://leader.mesos/acs/api/v1/auth/login");
    public static readonly TimeSpan DcosTokenLifetime = TimeSpan.FromMinutes(5);

    public const string SchedulerApiPath = "api/v1/scheduler";

    // ZooKeeper: leader detection and the state store (mesos-framework's zkUrl default works inside Mesos-DNS clusters).
    public static readonly TimeSpan LeaderWaitTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ZooKeeperSessionTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ZooKeeperConnectTimeout = TimeSpan.FromSeconds(15);
    public const string ZkUrl = "master.mesos:2181";
    public const string ZkPrefix = "/dcos-service-";
    public const int ZooKeeperWriteAttempts = 3;
}
