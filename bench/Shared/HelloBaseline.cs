using System.Diagnostics;
using System.Globalization;
using Mesos.Testing.Agent;

namespace Mesos.Bench.Shared;

/// <summary>
/// The same-run baseline of the whole-process benchmarks: the bench program itself started as a trivial .NET app
/// ("hello" prints and exits, "idle" prints and waits) under the agent's environment rules, timed and measured.
/// </summary>
internal static class HelloBaseline
{
    /// <summary>A trivial .NET program started with the agent's environment rules (MESOS_* only, default PATH, sandbox cwd).</summary>
    public static async Task<(double Milliseconds, double RssMb)> StartHelloAsync(string self)
    {
        var sandbox = Directory.CreateTempSubdirectory("hello-sandbox-").FullName;
        static ProcessStartInfo Start(string self, string sandbox, string mode)
        {
            var start = new ProcessStartInfo(self, mode) { WorkingDirectory = sandbox, UseShellExecute = false, RedirectStandardOutput = true };
            start.Environment.Clear();
            start.Environment["PATH"] = ExecutorProcessOptions.DefaultPath;
            start.Environment["MESOS_SANDBOX"] = sandbox;
            return start;
        }

        var started = Stopwatch.GetTimestamp();
        using (var hello = Process.Start(Start(self, sandbox, "hello"))!)
        {
            await hello.StandardOutput.ReadToEndAsync();
            await hello.WaitForExitAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var idle = Process.Start(Start(self, sandbox, "idle"))!;
        await idle.StandardOutput.ReadLineAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var line = File.ReadLines($"/proc/{idle.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        idle.Kill();
        await idle.WaitForExitAsync();
        Directory.Delete(sandbox, recursive: true);
        return (elapsed, double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0);
    }
}
