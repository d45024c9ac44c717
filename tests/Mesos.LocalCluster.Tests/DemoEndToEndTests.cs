using System.Diagnostics;

namespace Mesos.LocalCluster.Tests;

/// <summary>
/// The README's first command, end to end: the built <c>mesos-local</c> runs the whole demo against the published
/// executor (shared with other test projects through <see cref="PublishedExecutorCache"/>), as a separate process.
/// </summary>
public sealed class DemoEndToEndTests
{
    private static readonly TimeSpan DemoLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Demo_RunsEveryScenario_ExitsZero_AndPrintsAPassingSummary()
    {
        var executor = await PublishedExecutorCache.GetAsync().WaitAsync(TimeSpan.FromMinutes(11));
        var work = Path.Combine(Path.GetTempPath(), "mesos-local-test-" + Guid.NewGuid().ToString("N")[..8]);

        var (exitCode, output) = await RunDemoAsync(["--executor-path", executor, "--work-dir", work, "--agents", "2"]);

        try
        {
            Assert.True(exitCode == 0, $"mesos-local exited with {exitCode}:\n{output}");
            Assert.Contains("RESULT: PASS - 5 of 5 expectations held", output, StringComparison.Ordinal);
            foreach (var line in new[]
                     {
                         "PASS  multi-1", "PASS  web-1", "PASS  group-1", "PASS  stubborn-1", "PASS  framework",
                         "Task killed by its health check after 3 consecutive failures",
                         "process 'flaky' ended with exit code 1; restart 1",
                     })
            {
                Assert.Contains(line, output, StringComparison.Ordinal);
            }

            Assert.Matches(@"multi-1\s+TASK_FINISHED", output);
            Assert.Matches(@"web-1\s+TASK_KILLED", output);
            Assert.Matches(@"group-1-crasher\s+TASK_FAILED", output);
            Assert.Matches(@"group-1-steady\s+TASK_KILLED", output);
            Assert.Matches(@"stubborn-1\s+TASK_KILLING", output);
            Assert.Matches(@"stubborn-1\s+TASK_KILLED", output);

            // Every executor and task process is gone: none still runs from the sandboxes of this work directory.
            Assert.Empty(ProcessesUnder(work));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Help_ListsTheOptions()
    {
        var (exitCode, output) = await RunDemoAsync(["--help"]);

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--work-dir", "--agents", "--master", "--executor-path", "serve" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadOption_ExitsTwo_NamingIt()
    {
        var (exitCode, output) = await RunDemoAsync(["--agents", "zero"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--agents must be a number", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(IReadOnlyList<string> arguments)
    {
        // The demo's assembly sits next to the tests (project reference); run it with the same runtime.
        var dll = Path.Combine(AppContext.BaseDirectory, "mesos-local.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(DemoLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mesos-local did not finish within {DemoLimit}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    internal static IReadOnlyList<string> ProcessesUnder(string work)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (cwd is not null && cwd.StartsWith(work, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(dir)} in {cwd}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to look at.
            }
        }

        return found;
    }
}
