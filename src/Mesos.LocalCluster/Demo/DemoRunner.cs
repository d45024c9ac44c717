using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mesos.Scheduler.Lite;
using Mesos.Testing.Cluster;
using TestCluster = Mesos.Testing.Cluster.LocalCluster;

namespace Mesos.LocalCluster.Demo;

/// <summary>The default command: executor, local cluster, artifact server, sample framework, summary.</summary>
internal sealed class DemoRunner(CommandLine options, Progress progress)
{
    private static readonly TimeSpan TeardownWait = TimeSpan.FromSeconds(20);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        string? executorPath = options.ExecutorPath;
        if (executorPath is null && options.ExecutorUri is null)
        {
            try
            {
                executorPath = await ExecutorPublisher.PublishAsync(progress.Line, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                progress.Line("ERROR: " + ex.Message);
                return 3;
            }
        }
        else if (executorPath is not null && !File.Exists(executorPath))
        {
            progress.Line($"ERROR: --executor-path {executorPath} does not exist");
            return 2;
        }

        var ownsWork = options.WorkDirectory is null;
        var work = Path.GetFullPath(options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "mesos-local-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(work);
        try
        {
            return await RunClusterAsync(executorPath, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownsWork)
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    progress.Line($"could not remove {work}: {ex.Message}");
                }
            }
        }
    }

    private async Task<int> RunClusterAsync(string? executorPath, string work, CancellationToken cancellationToken)
    {
        TestCluster? cluster = null;
        ArtifactServer? artifacts = null;
        try
        {
            Uri master;
            ulong servicePort;
            if (options.Master is { } remote)
            {
                master = remote;
                servicePort = (ulong)Random.Shared.Next(31000, 32000); // inside a Mesos agent's default ports [31000-32000]
                progress.Line($"using the master at {master} (the sample service's fixed port is {servicePort})");
            }
            else
            {
                cluster = await TestCluster.StartAsync(new LocalClusterOptions { WorkDirectory = work, Agents = options.Agents }, cancellationToken).ConfigureAwait(false);
                master = cluster.MasterAddress;
                servicePort = TestCluster.PortsOf(cluster.Agents[^1])[0];
                progress.Line($"local cluster: master {master}, {cluster.Agents.Count} agent(s) ({string.Join(", ", cluster.Agents.Select(a => a.Id))}), sandboxes under {work}");
            }

            Uri executorUri;
            string? sha256 = executorPath is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(File.OpenRead(executorPath), cancellationToken).ConfigureAwait(false));
            if (options.ExecutorUri is { } given)
            {
                executorUri = given;
            }
            else
            {
                artifacts = await ArtifactServer.StartAsync(new Dictionary<string, string> { ["mesos-executor"] = executorPath! }, cancellationToken).ConfigureAwait(false);
                executorUri = artifacts.UriOf("mesos-executor");
            }

            progress.Line($"executor served at {executorUri}" + (sha256 is null ? string.Empty : $" (sha256 {sha256})"));
            var artifact = new ExecutorArtifact { Uri = executorUri, Sha256 = sha256, FileName = "mesos-executor" };
            var framework = new SampleFramework(progress);
            var (serviceCommand, serviceEnvironment) = SampleServiceCommand(servicePort);
            var ok = await RunFrameworkAsync(framework, framework.Options(master, artifact, servicePort, serviceCommand, serviceEnvironment), cluster, cancellationToken).ConfigureAwait(false);
            return ok ? 0 : 1;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                progress.Line("local cluster stopped");
            }

            if (artifacts is not null)
            {
                await artifacts.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> RunFrameworkAsync(SampleFramework framework, FrameworkSchedulerOptions schedulerOptions, TestCluster? cluster, CancellationToken cancellationToken)
    {
        var frameworkStart = progress.Elapsed;
        bool finished;
        bool tornDown;
        await using (var scheduler = new FrameworkScheduler(schedulerOptions))
        {
            framework.Attach(scheduler);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var run = Task.Run(() => scheduler.RunAsync(stop.Token), CancellationToken.None);
            progress.Line($"framework 'mesos-local-demo' subscribing; launching {string.Join(", ", SampleFramework.ExpectedTasks)}");
            try
            {
                await framework.AllDone.WaitAsync(options.Timeout, cancellationToken).ConfigureAwait(false);
                finished = true;
            }
            catch (TimeoutException)
            {
                progress.Line($"TIMEOUT: not every task ended within {options.Timeout.TotalSeconds:0}s");
                finished = false;
            }

            try
            {
                await framework.WaitForActionsAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                progress.Line("a demo action did not finish within 10s");
            }

            tornDown = false;
            if (scheduler.Client?.FrameworkId is not null)
            {
                try
                {
                    progress.Line("shutting the framework down (TEARDOWN)");
                    await scheduler.Client.TeardownAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                    tornDown = true;
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Mesos.Protocol.Http.MesosHttpException or Mesos.Protocol.Http.MesosConnectionException)
                {
                    progress.Line("TEARDOWN failed: " + ex.Message);
                }
            }

            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or Mesos.Scheduler.Lite.SchedulerConnectionException)
            {
                // Stopped, as asked.
            }
        }

        var results = framework.Evaluate().ToList();
        if (cluster is not null)
        {
            var executors = cluster.Launcher.Executors.Count;
            var exited = false;
            try
            {
                await cluster.Launcher.WaitForExecutorsToExitAsync(TeardownWait, cancellationToken).ConfigureAwait(false);
                exited = true;
            }
            catch (TimeoutException)
            {
                // Reported below.
            }

            results.Add(new Expectation("framework", tornDown && exited,
                exited ? $"torn down; all {executors} executors exited after SHUTDOWN" : "torn down, but executors still run"));
        }
        else
        {
            results.Add(new Expectation("framework", tornDown, tornDown ? "torn down" : "TEARDOWN failed"));
        }

        PrintSummary(framework, results, progress.Elapsed - frameworkStart, finished);
        return finished && results.All(r => r.Held);
    }

    private void PrintSummary(SampleFramework framework, IReadOnlyList<Expectation> results, TimeSpan took, bool finished)
    {
        var tracks = framework.Tracks;
        progress.Raw(string.Empty);
        progress.Raw("== Summary ==");
        progress.Raw($"{"task",-16} {"final state",-14} {"started",8} {"ended",8} {"updates",7}  health");
        foreach (var name in SampleFramework.ExpectedTasks)
        {
            if (tracks.TryGetValue(name, out var t))
            {
                progress.Raw($"{name,-16} {(t.Final is { } f ? Names.Of(f) : "(running)"),-14} {"+" + Names.Seconds(t.FirstSeen),8} {(t.EndedAt is null ? "-" : "+" + Names.Seconds(t.EndedAt)),8} {t.Updates.Count,7}  {t.HealthHistory}");
            }
            else
            {
                progress.Raw($"{name,-16} {"(never seen)",-14}");
            }
        }

        progress.Raw(string.Empty);
        foreach (var result in results)
        {
            progress.Raw($"{(result.Held ? "PASS" : "FAIL")}  {result.Subject,-12} {result.Description}");
        }

        var held = results.Count(r => r.Held);
        progress.Raw(string.Empty);
        progress.Raw(finished && held == results.Count
            ? $"RESULT: PASS - {held} of {results.Count} expectations held; the sample framework ran {Names.Seconds(took)}"
            : $"RESULT: FAIL - {held} of {results.Count} expectations held; the sample framework ran {Names.Seconds(took)}");
    }

    /// <summary>How a task runs this binary's <c>sample-service</c>: the apphost, or <c>dotnet mesos-local.dll</c>.</summary>
    private static (string Command, IReadOnlyDictionary<string, string> Environment) SampleServiceCommand(ulong port)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell where this program is to run its sample service");
        var entry = Assembly.GetEntryAssembly()?.Location;
        var prefix = Path.GetFileNameWithoutExtension(process) == "dotnet" && entry is { Length: > 0 }
            ? $"{Quote(process)} {Quote(entry)}"
            : Quote(process);

        // Tasks get no environment from the agent: tell the apphost where the runtime is.
        var runtime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return ($"exec {prefix} sample-service --port {port}", new Dictionary<string, string> { ["DOTNET_ROOT"] = runtime });
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
