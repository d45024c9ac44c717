using System.Collections.Concurrent;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// Every task process that has not been reaped yet, so that none outlives the executor: when the executor
/// exits through any managed path (end of Main, SIGTERM/SIGINT handled by the host, an unhandled exception)
/// <see cref="KillAll"/> SIGKILLs every group and marked descendant. A SIGKILL of the executor itself runs no
/// code at all; then the parent-death signal (see <see cref="LaunchMode.ParentDeathSignal"/>) kills each main
/// process, and <see cref="ExecutorGuard"/> kills the rest of every tree.
/// </summary>
internal static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<RunningProcess, byte> s_live = new();
    private static int s_hooked;

    public static int Count => s_live.Count;

    public static void Add(RunningProcess process)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        }

        s_live.TryAdd(process, 0);
    }

    public static void Remove(RunningProcess process) => s_live.TryRemove(process, out _);

    /// <summary>SIGKILLs every live task process tree, synchronously (one /proc scan per round).</summary>
    public static void KillAll()
    {
        var targets = new List<TreeTarget>();
        foreach (var process in s_live.Keys)
        {
            process.SignalGroup(Native.Libc.SIGKILL);
            targets.Add(process.TreeTarget);
        }

        _ = ProcessTree.KillAll(targets, Defaults.SweepTimeout);
    }
}
