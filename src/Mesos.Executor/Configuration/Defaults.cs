namespace Mesos.Executor.Configuration;

/// <summary>Upstream's defaults (src/slave/constants.hpp, src/launcher/executor.cpp), named once.</summary>
internal static class Defaults
{
    /// <summary>MESOS_RECOVERY_TIMEOUT when unset: the agent's <c>--recovery_timeout</c> default.</summary>
    public static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(15);

    /// <summary>MESOS_SUBSCRIPTION_BACKOFF_MAX when unset: the agent's <c>--executor_reregistration_retry_interval</c>-era default.</summary>
    public static readonly TimeSpan SubscriptionBackoffMax = TimeSpan.FromSeconds(2);

    /// <summary>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD when unset (DEFAULT_EXECUTOR_SHUTDOWN_GRACE_PERIOD).</summary>
    public static readonly TimeSpan ShutdownGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>A task's kill grace when neither the KILL event nor the task carries a kill policy.</summary>
    public static readonly TimeSpan KillGracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Kept free of the shutdown grace period: the agent kills the executor's whole container when the period ends,
    /// so tasks get the period minus this to stop, and the rest goes to sending their terminal updates. Upstream's
    /// command executor leaves MAX_REAP_INTERVAL + 1 s (2 s).
    /// </summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(2);

    /// <summary>The path of the executor API on the agent.</summary>
    public const string ExecutorApiPath = "/api/v1/executor";
}
