using Mesos.Executor.Runner.Processes.Native;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// Kills every task process of this executor when the executor dies without running any code (SIGKILL, OOM kill).
/// The parent-death signal that <see cref="LaunchChain"/> sets only reaches each task's main process; its children,
/// and daemons that left the session, would be orphaned. So the first task launch also starts one small guard:
/// <c>setpriv --pdeathsig TERM -- /bin/sh -c SCRIPT</c>, which sleeps until the executor is gone, then SIGKILLs
/// every process whose environment carries <see cref="Variable"/>=<see cref="Id"/> (every task process inherits
/// it, see <see cref="ProcessEnvironment.Merge"/>), scanning /proc until none is left. The guard's own environment
/// holds only PATH, so it never matches itself. It runs in a session of its own (posix_spawn SETSID), so task group
/// kills never reach it, and it costs one shell and one sleep (~2 MB). Without setpriv it is not started.
/// </summary>
internal static class ExecutorGuard
{
    /// <summary>Carried by every task process of this executor: the guard's sweep key.</summary>
    public const string Variable = "MESOS_AGENT_EXECUTOR_MARKER";

    // $1 = the executor's id. On TERM (the executor died, or exited normally with nothing left): stop the sleep,
    // then sweep until a round finds nothing (at most 50 rounds: a fork bomb must not keep the guard alive).
    private const string Script = """
        id="$1"
        sweep() {
          found=1
          for f in $(grep -lsaF "MESOS_AGENT_EXECUTOR_MARKER=$id" /proc/[0-9]*/environ); do
            p=${f#/proc/}; p=${p%/environ}
            kill -KILL "$p" 2>/dev/null && found=0
          done
          return $found
        }
        trap 'kill "$s" 2>/dev/null; n=0; while sweep && [ $n -lt 50 ]; do n=$((n+1)); done; exit 0' TERM
        sleep 2147483647 & s=$!
        wait "$s"
        """;

    private static readonly Lazy<Task<int?>> s_guard = new(StartAsync);

    /// <summary>This executor's id in <see cref="Variable"/>.</summary>
    public static string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Starts the guard once; its pid, or null when this system cannot run it.</summary>
    public static Task<int?> EnsureStartedAsync() => s_guard.Value;

    private static async Task<int?> StartAsync()
    {
        var setpriv = await LaunchChain.SetprivAsync().ConfigureAwait(false);
        if (setpriv is null || !File.Exists("/bin/sh"))
        {
            return null;
        }

        var request = new SpawnRequest(
            setpriv,
            [setpriv, "--pdeathsig", "TERM", "--", "/bin/sh", "-c", Script, "mesos-executor-guard", Id],
            ["PATH=" + Defaults.SearchPath],
            WorkingDirectory: "/",
            SpawnRequest.DevNull,
            SpawnRequest.DevNull);
        try
        {
            // On the process loop's thread, like every task: the parent-death signal follows the spawning thread.
            return await ProcessIoLoop.Shared.InvokeAsync(() => (int?)PosixSpawn.Spawn(request)).ConfigureAwait(false);
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }
}
