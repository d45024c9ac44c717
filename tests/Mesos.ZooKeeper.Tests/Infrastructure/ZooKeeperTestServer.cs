using System.Diagnostics;

namespace Mesos.ZooKeeper.Tests.Infrastructure;

/// <summary>
/// The real ZooKeeper server the tests talk to: <c>ZOOKEEPER_CONNECT</c> when set (CI sets it from
/// <c>.ci/services/zookeeper.sh</c>), otherwise one this process starts with the same script CI uses
/// (<c>tools/zookeeper-server.sh</c>, which needs Debian's <c>zookeeper</c> package) and stops on exit.
/// </summary>
internal static class ZooKeeperTestServer
{
    private static readonly Lazy<SharedServer> Shared = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>CI must run these tests: there, a missing server fails them instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>host:port</c> of the shared server; throws (failing the test) with the reason when there is none.</summary>
    public static string ConnectString => Shared.Value.ConnectString ?? throw new InvalidOperationException(Shared.Value.Error);

    /// <summary>Why tests needing a server must skip here, or <see langword="null"/> (always null under CI=true).</summary>
    public static string? SkipReason(bool needsLocalServer)
    {
        if (IsCi)
        {
            return null;
        }

        if (Shared.Value.Error is { } error)
        {
            return error;
        }

        return needsLocalServer && !File.Exists(Script)
            ? $"{Script} is missing"
            : needsLocalServer && !File.Exists("/usr/share/java/zookeeper.jar")
                ? "this test starts and restarts its own ZooKeeper server, which needs Debian's zookeeper package (apt-get install zookeeper)"
                : null;
    }

    /// <summary>A server of the test's own (to stop and restart), on a free port with a fresh data dir.</summary>
    public static async Task<DedicatedServer> StartDedicatedAsync()
    {
        var server = new DedicatedServer(CreateTempDir());
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    internal static string Script => Path.Combine(RepoPaths.Root, "tools", "zookeeper-server.sh");

    internal static string CreateTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mesos-zk-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        // The script's watchdog removes the dir once this process is gone, however it ended.
        File.WriteAllText(Path.Combine(dir, "remove-with-owner"), string.Empty);
        return dir;
    }

    /// <summary>Runs <c>tools/zookeeper-server.sh</c>; returns its exit code and everything it printed.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (-1, string.Empty, $"could not run bash {Script}: {exception.Message}");
        }

        using var owned = process;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, string.Empty, $"{Script} {string.Join(' ', arguments)} did not finish within 90 s");
        }

        return (process.ExitCode, (await stdout.ConfigureAwait(false)).Trim(), (await stderr.ConfigureAwait(false)).Trim());
    }

    private static SharedServer StartShared()
    {
        var configured = Environment.GetEnvironmentVariable("ZOOKEEPER_CONNECT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new SharedServer(configured.Trim(), null);
        }

        var dir = CreateTempDir();
        var (exitCode, stdout, stderr) = RunScriptAsync("start", dir, string.Empty, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .GetAwaiter().GetResult();
        if (exitCode != 0)
        {
            TryDelete(dir);
            return new SharedServer(
                null,
                $"No ZooKeeper server for these tests: ZOOKEEPER_CONNECT is unset and starting one with tools/zookeeper-server.sh failed " +
                $"(exit {exitCode}): {stderr} (or set ZOOKEEPER_CONNECT=host:port)");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunScriptAsync("stop", dir).GetAwaiter().GetResult();
            TryDelete(dir);
        };
        return new SharedServer(stdout.Split('\n')[^1].Trim(), null);
    }

    internal static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp dir.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort: a temp dir.
        }
    }

    private sealed record SharedServer(string? ConnectString, string? Error);
}

/// <summary>A ZooKeeper server owned by one test: it can be stopped and started again on the same port with the same data.</summary>
internal sealed class DedicatedServer(string dir) : IAsyncDisposable
{
    private string _port = string.Empty;

    public string ConnectString => "127.0.0.1:" + _port;

    /// <summary>The end of the server's own log, for a failing test's output.</summary>
    public string LogTail(int lines = 40)
    {
        var log = Path.Combine(dir, "server.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : "(no server log)";
    }

    public async Task StartAsync()
    {
        var (exitCode, stdout, stderr) = await ZooKeeperTestServer.RunScriptAsync(
            "start", dir, _port, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"starting the test's ZooKeeper server failed (exit {exitCode}): {stderr}");
        }

        _port = stdout.Split('\n')[^1].Split(':')[^1].Trim();
    }

    public async Task StopAsync()
    {
        var (exitCode, _, stderr) = await ZooKeeperTestServer.RunScriptAsync("stop", dir).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"stopping the test's ZooKeeper server failed (exit {exitCode}): {stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ZooKeeperTestServer.RunScriptAsync("stop", dir).ConfigureAwait(false);
        ZooKeeperTestServer.TryDelete(dir);
    }
}
