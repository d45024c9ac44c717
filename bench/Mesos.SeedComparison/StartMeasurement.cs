using System.Diagnostics;
using System.Globalization;
using Mesos.Testing.Agent;
using Call = Mesos.V1.Executor.Call;

namespace Mesos.SeedComparison;

/// <summary>One start of an executor: how long until its SUBSCRIBE reached the fake agent, and its memory afterwards.</summary>
internal sealed record StartSample(double? SubscribeMilliseconds, double? ResidentMegabytes, int? SubscribeStatus, string? AgentAnswer, string? Failure);

/// <summary>
/// Starts an executor exactly as <see cref="FakeAgent.StartExecutorProcessAsync"/> does (a fresh sandbox as working
/// directory; an environment of only <see cref="FakeAgent.ExecutorEnvironment"/> and the default PATH; stdout and
/// stderr to files in the sandbox) and times start to "SUBSCRIBE request received", whatever the agent answered.
/// The fake agent's own launcher cannot be used for the seed: it returns only for an accepted SUBSCRIBE and disposes a
/// process that does not get one, while the seed's SUBSCRIBE is rejected (400) and its memory is still to be read.
/// </summary>
internal static class StartMeasurement
{
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// RSS is read this long after the SUBSCRIBE arrived, for both executors. Memory settling has no event to await;
    /// this is the measurement's definition of "after subscribing", not a wait for a state.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    public static async Task<StartSample> MeasureAsync(string fileName, IReadOnlyList<string> arguments, string workDirectory, CancellationToken cancellationToken)
    {
        await using var agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        var sandbox = Path.Combine(workDirectory, "sandboxes", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(sandbox);

        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = sandbox,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in agent.ExecutorEnvironment(sandbox))
        {
            start.Environment[name] = value;
        }

        start.Environment["PATH"] = ExecutorProcessOptions.DefaultPath;

        using var process = new Process { StartInfo = start };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        var output = Task.WhenAll(
            CopyAsync(process.StandardOutput.BaseStream, Path.Combine(sandbox, "stdout")),
            CopyAsync(process.StandardError.BaseStream, Path.Combine(sandbox, "stderr")));
        try
        {
            var subscribe = await WaitForSubscribeOrExitAsync(agent, process, cancellationToken);
            if (subscribe is null && !process.HasExited)
            {
                return new StartSample(null, null, null, null, $"no SUBSCRIBE within {RegistrationTimeout.TotalSeconds:F0} s (the agent's registration timeout is 1 min)");
            }

            if (subscribe is null)
            {
                await output.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                var stderr = await File.ReadAllTextAsync(Path.Combine(sandbox, "stderr"), cancellationToken);
                return new StartSample(null, null, null, null, $"exited with code {process.ExitCode} before sending SUBSCRIBE; stderr: {Trim(stderr)}");
            }

            var elapsed = Stopwatch.GetElapsedTime(startedAt, subscribe.Timestamp).TotalMilliseconds;
            await Task.Delay(Settle, cancellationToken);
            var rss = process.HasExited ? (double?)null : ResidentMegabytes(process.Id);
            return new StartSample(elapsed, rss, subscribe.StatusCode, subscribe.ResponseBody, rss is null ? $"exited with code {process.ExitCode} after its SUBSCRIBE" : null);
        }
        finally
        {
            await StopAsync(process, output);
        }
    }

    /// <summary>Our executor started by the fake agent's own launcher, as a check that the harness launcher measures the same thing.</summary>
    public static async Task<double> MeasureWithFakeAgentLauncherAsync(string fileName, string workDirectory, CancellationToken cancellationToken)
    {
        await using var agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using var process = await agent.StartExecutorProcessAsync(
            new ExecutorProcessOptions { FileName = fileName, WorkDirectory = Path.Combine(workDirectory, "launcher-check"), RegistrationTimeout = RegistrationTimeout },
            cancellationToken);
        return process.TimeToSubscribe.TotalMilliseconds;
    }

    private static async Task<ReceivedCall?> WaitForSubscribeOrExitAsync(FakeAgent agent, Process process, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var received = agent.WaitUntilAsync(a => FindSubscribe(a) is not null, RegistrationTimeout, "the executor's SUBSCRIBE", stop.Token);
        var exited = process.WaitForExitAsync(stop.Token);
        var first = await Task.WhenAny(received, exited);
        await stop.CancelAsync();
        try
        {
            await first;
        }
        catch (TimeoutException)
        {
            // Reported by the caller: no SUBSCRIBE and still running.
        }
        finally
        {
            await Task.WhenAll(received, exited).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return FindSubscribe(agent);
    }

    // Accepted or not: a rejected SUBSCRIBE still decodes to a Call (only its validation failed).
    private static ReceivedCall? FindSubscribe(FakeAgent agent) =>
        agent.Calls.FirstOrDefault(c => c.Call?.Type == Call.Types.Type.Subscribe);

    private static double ResidentMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }

    private static async Task StopAsync(Process process, Task output)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await output.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"warning: could not stop process {process.Id}: {ex.Message}");
        }
    }

    private static async Task CopyAsync(Stream source, string path)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        await source.CopyToAsync(file);
    }

    private static string Trim(string text)
    {
        text = text.Trim().ReplaceLineEndings(" | ");
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
