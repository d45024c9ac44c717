namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// Runs <see cref="ProcessTree.KillAll"/> for whoever asks, coalescing requests that arrive together into one
/// /proc scan per round (500 tasks ending at once cost a few scans, not 500). One worker at a time, on the
/// thread pool.
/// </summary>
internal static class ProcessSweeper
{
    private static readonly Lock s_lock = new();
    private static List<(TreeTarget Target, TaskCompletionSource<bool> Done)> s_pending = [];
    private static bool s_running;

    /// <summary>Kills what is left of <paramref name="target"/>; true when nothing is left alive.</summary>
    public static Task<bool> SweepAsync(TreeTarget target)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (s_lock)
        {
            s_pending.Add((target, done));
            if (!s_running)
            {
                s_running = true;
                ThreadPool.UnsafeQueueUserWorkItem(static _ => Work(), null);
            }
        }

        return done.Task;
    }

    private static void Work()
    {
        while (true)
        {
            List<(TreeTarget Target, TaskCompletionSource<bool> Done)> batch;
            lock (s_lock)
            {
                if (s_pending.Count == 0)
                {
                    s_running = false;
                    return;
                }

                batch = s_pending;
                s_pending = [];
            }

            bool clean;
            try
            {
                clean = ProcessTree.KillAll(batch.ConvertAll(item => item.Target), Defaults.SweepTimeout);
            }
#pragma warning disable CA1031 // report, never lose the waiters
            catch (Exception)
#pragma warning restore CA1031
            {
                clean = false;
            }

            foreach (var (_, done) in batch)
            {
                done.TrySetResult(clean);
            }
        }
    }
}
