namespace Mesos.Scheduler.Lite;

/// <summary>
/// Finds the leading master, e.g. from ZooKeeper (<c>zk://host:2181/mesos</c>; mesoshttp's ZooKeeper detection,
/// mesos-framework's <c>useZk</c>). Asked before every connection attempt; its answer is tried before the configured
/// masters list. <see cref="ZooKeeperMasterDetector"/> is the ZooKeeper implementation.
/// </summary>
public interface IMasterDetector
{
    /// <summary>The leader's base URL (<c>http://host:5050</c>) or its scheduler API URL, or null when unknown right now.</summary>
    ValueTask<Uri?> DetectLeaderAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes with the new leader's URL when another master takes the lead after this call (not when the last one
    /// leaves: the old leader ends its streams itself). <see cref="SchedulerClient"/> waits on it while subscribed and
    /// re-subscribes to the new leader at once. The default never completes (a detector that cannot watch).
    /// </summary>
    async Task<Uri> WaitForLeaderChangeAsync(CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        throw new OperationCanceledException(cancellationToken);
    }
}
