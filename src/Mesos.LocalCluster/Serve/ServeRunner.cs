using Mesos.LocalCluster.Demo;
using Mesos.Testing.Cluster;
using TestCluster = Mesos.Testing.Cluster.LocalCluster;

namespace Mesos.LocalCluster.Serve;

/// <summary>
/// <c>mesos-local serve</c>: a local cluster on fixed loopback ports for frameworks in any language, until Ctrl+C or
/// SIGTERM. The master's scheduler API and its read-only endpoints are on <c>127.0.0.1:PORT</c>; command tasks run
/// under the published executor acting as the command executor (the task's CommandInfo is what it runs).
/// </summary>
internal static class ServeRunner
{
    /// <summary>Starts the cluster as <c>serve</c> lays it out (the caller disposes it: executors shut down, master stopped).</summary>
    public static Task<TestCluster> StartAsync(CommandLine options, string executorPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TestCluster.StartAsync(new LocalClusterOptions
        {
            WorkDirectory = options.WorkDirectory,
            Agents = options.Agents,
            MasterPort = options.Port,
            CommandExecutorPath = Path.GetFullPath(executorPath),
        }, cancellationToken);
    }

    /// <summary>Runs until <paramref name="stop"/> fires; 0 after a clean stop, 2 bad options, 3 no executor.</summary>
    public static async Task<int> RunAsync(CommandLine options, Progress progress, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var executorPath = options.ExecutorPath;
        if (executorPath is null)
        {
            try
            {
                executorPath = await ExecutorPublisher.PublishAsync(progress.Line, stop).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                progress.Line("ERROR: " + ex.Message);
                return 3;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                progress.Line("interrupted before the cluster started");
                return 1;
            }
        }
        else if (!File.Exists(executorPath))
        {
            progress.Line($"ERROR: --executor-path {executorPath} does not exist");
            return 2;
        }

        TestCluster cluster;
        try
        {
            cluster = await StartAsync(options, executorPath, stop).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            progress.Line($"ERROR: cannot listen on 127.0.0.1:{options.Port} ({ex.Message}); is another master running? Pass --port to use another one");
            return 2;
        }

        await using (cluster.ConfigureAwait(false))
        {
            var master = cluster.MasterAddress;
            progress.Line($"master      {master} (scheduler API {cluster.Master.Endpoint}, leader {master.Host}:{master.Port})");
            progress.Line($"endpoints   {master}state  {master}master/state  {master}health  {master}version");
            foreach (var agent in cluster.Agents)
            {
                progress.Line($"agent       {agent.Id} on {agent.Hostname} (ports {string.Join(',', TestCluster.PortsOf(agent))})");
            }

            progress.Line($"executor    {executorPath} (runs command tasks; custom executors by http:// or file:// URI)");
            progress.Line($"sandboxes   {cluster.WorkDirectory}");
            progress.Line("serving; Ctrl+C (SIGINT) or SIGTERM stops");
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop.
            }

            progress.Line("stopping: shutting the executors down");
        }

        progress.Line("stopped; no executor or task process is left");
        return 0;
    }
}
