using System.Diagnostics;
using System.Text;

namespace Mesos.Packaging.Tests.Support;

/// <summary>Runs the <c>dotnet</c> CLI as a child process, bounded by a timeout, the way a user would on a clean shell.</summary>
internal static class Dotnet
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>; returns its output, throws with it on failure.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (its whole process tree is killed).</exception>
    public static async Task<string> RunAsync(
        string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would point a nested build at the
        // outer build's SDK internals; a user's shell has none of them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build server or node outlives the command (they would hold its output open and our CPU).
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"`dotnet {string.Join(' ', arguments)}` took longer than {timeout}; output:\n{Tail(output)}");
        }

        var text = Snapshot(output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet {string.Join(' ', arguments)}` exited with {process.ExitCode} after {watch.Elapsed}; output:\n{Tail(output)}");
        }

        return text;
    }

    private static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Tail(StringBuilder output)
    {
        var text = Snapshot(output);
        return text.Length <= 8000 ? text : "...\n" + text[^8000..];
    }
}
