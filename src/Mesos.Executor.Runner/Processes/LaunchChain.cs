using Mesos.Executor.Runner.Processes.Native;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// Decides how to launch: .NET has no pre-exec hook, so prctl(PR_SET_PDEATHSIG) cannot be called in the
/// child; <c>setpriv --pdeathsig KILL</c> from util-linux (present on Debian by default; the option exists
/// since util-linux 2.33) does it and then execs the program. posix_spawn itself creates the new session
/// (POSIX_SPAWN_SETSID), so no <c>setsid</c> binary is needed. Detected once, by running setpriv.
/// </summary>
internal static class LaunchChain
{
    private static readonly string[] s_setprivPaths = ["/usr/bin/setpriv", "/bin/setpriv"];
    private static readonly string[] s_bashPaths = ["/bin/bash", "/usr/bin/bash"];
    private static readonly Lazy<Task<string?>> s_setpriv = new(DetectSetprivAsync);

    /// <summary>A program and argv to spawn, and how.</summary>
    internal sealed record Plan(string Path, IReadOnlyList<string> Argv, LaunchMode Mode);

    /// <summary>setpriv when it supports --pdeathsig, else null (detected once).</summary>
    public static Task<string?> SetprivAsync() => s_setpriv.Value;

    public static async Task<Plan> PlanAsync(string resolvedPath, IReadOnlyList<string> argv, bool parentDeathSignal)
    {
        var direct = new Plan(resolvedPath, argv, LaunchMode.Direct);
        if (!parentDeathSignal)
        {
            return direct;
        }

        var setpriv = await SetprivAsync().ConfigureAwait(false);
        if (setpriv is null)
        {
            return direct;
        }

        string argv0 = argv.Count > 0 ? argv[0] : resolvedPath;
        string[] prefix = [setpriv, "--pdeathsig", "KILL", "--"];
        if (argv0 == resolvedPath || argv0 == Path.GetFileName(resolvedPath))
        {
            return new Plan(setpriv, [.. prefix, resolvedPath, .. argv.Skip(1)], LaunchMode.ParentDeathSignal);
        }

        var bash = Array.Find(s_bashPaths, File.Exists);
        if (bash is null)
        {
            return direct; // exact argv[0] matters more than the parent-death signal here
        }

        // bash -c SCRIPT $0 $1 ...: $0 = the wanted argv[0], $1 = the program, the rest = its arguments.
        const string script = "p=\"$1\"; shift; exec -a \"$0\" \"$p\" \"$@\"";
        return new Plan(setpriv, [.. prefix, bash, "-c", script, argv0, resolvedPath, .. argv.Skip(1)], LaunchMode.ParentDeathSignalExactArgv0);
    }

    private static async Task<string?> DetectSetprivAsync()
    {
        var setpriv = Array.Find(s_setprivPaths, File.Exists);
        if (setpriv is null || !File.Exists("/bin/sh"))
        {
            return null;
        }

        var request = new SpawnRequest(
            setpriv,
            [setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c", "exit 0"],
            ["PATH=" + Defaults.SearchPath],
            WorkingDirectory: null,
            SpawnRequest.DevNull,
            SpawnRequest.DevNull);
        try
        {
            int pid = await ProcessIoLoop.Shared.InvokeAsync(() => PosixSpawn.Spawn(request)).ConfigureAwait(false);
            var status = await Task.Run(() => ExitWatcher.ReapBlocking(pid)).ConfigureAwait(false);
            return status is { IsSuccess: true } ? setpriv : null;
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }
}
