using System.Net;
using System.Net.Sockets;
using Mesos.Testing.Master;
using V1 = Mesos.V1;

namespace Mesos.Testing.Cluster;

/// <summary>
/// A whole Mesos cluster in one process, on loopback: a <see cref="FakeMaster"/> (the scheduler API on an ephemeral
/// port) offering N agents, whose tasks really run: each executor is fetched by URI into a sandbox under the work
/// directory and started the way an agent starts it (see <see cref="ExecutorTaskLauncher"/>). Disposing shuts every
/// executor down, kills what is left, and stops the master; no process outlives it.
/// <code>
/// await using var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Agents = 2 });
/// // point a scheduler at cluster.MasterAddress; ship an executor by http:// or file:// URI
/// </code>
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly bool _ownsWorkDirectory;

    private LocalCluster(FakeMaster master, ExecutorTaskLauncher launcher, IReadOnlyList<FakeAgent> agents, string workDirectory, bool ownsWorkDirectory)
    {
        Master = master;
        Launcher = launcher;
        Agents = agents;
        WorkDirectory = workDirectory;
        _ownsWorkDirectory = ownsWorkDirectory;
    }

    public static async Task<LocalCluster> StartAsync(LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalClusterOptions();
        options.Validate();
        var owns = options.WorkDirectory is null;
        var work = Path.GetFullPath(options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "mesos-local-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(work);
        var launcher = new ExecutorTaskLauncher(new ExecutorLauncherOptions
        {
            WorkDirectory = work,
            RegistrationTimeout = options.ExecutorRegistrationTimeout,
            ShutdownGracePeriod = options.ExecutorShutdownGracePeriod,
            CommandExecutorPath = options.CommandExecutorPath,
        });
        FakeMaster master;
        try
        {
            master = await FakeMaster.StartAsync(new FakeMasterOptions
            {
                Launcher = launcher,
                Port = options.MasterPort,
                HeartbeatInterval = options.HeartbeatInterval,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await launcher.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var agents = new List<FakeAgent>();
        for (var i = 0; i < options.Agents; i++)
        {
            // Every agent is 127.0.0.1: each gets its own free ports, so tasks on different agents never collide.
            agents.Add(master.AddAgent(options.AgentCpus, options.AgentMem, options.AgentDisk, portsBegin: 0, portsEnd: 0,
                extra: options.PortsPerAgent > 0 ? [PortsResource(FreePorts(options.PortsPerAgent))] : null));
        }

        return new LocalCluster(master, launcher, agents, work, owns);
    }

    public FakeMaster Master { get; }

    public ExecutorTaskLauncher Launcher { get; }

    /// <summary>The master's base address, <c>http://127.0.0.1:PORT/</c> (the scheduler API is <c>api/v1/scheduler</c> under it).</summary>
    public Uri MasterAddress => Master.BaseAddress;

    public IReadOnlyList<FakeAgent> Agents { get; }

    public string WorkDirectory { get; }

    /// <summary>The ports <paramref name="agent"/> offers.</summary>
    public static IReadOnlyList<ulong> PortsOf(FakeAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.Total.Where(r => r.Name == "ports" && r.Ranges is not null)
            .SelectMany(r => r.Ranges.Range)
            .SelectMany(r => Enumerable.Range(0, (int)(r.End - r.Begin + 1)).Select(i => r.Begin + (ulong)i))
            .ToArray();
    }

    private static List<int> FreePorts(int count)
    {
        // Bind them all at once so the system hands out distinct ones, then let go.
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).Order().ToList();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
                listener.Dispose();
            }
        }
    }

    private static V1.Resource PortsResource(IReadOnlyList<int> ports)
    {
        var resource = new V1.Resource { Name = "ports", Type = V1.Value.Types.Type.Ranges, Ranges = new V1.Value.Types.Ranges(), Role = "*" };
        foreach (var port in ports)
        {
            var last = resource.Ranges.Range.LastOrDefault();
            if (last is not null && last.End + 1 == (ulong)port)
            {
                last.End = (ulong)port;
            }
            else
            {
                resource.Ranges.Range.Add(new V1.Value.Types.Range { Begin = (ulong)port, End = (ulong)port });
            }
        }

        return resource;
    }

    /// <summary>Shuts every executor down (their task processes with them), stops the master, removes a temporary work directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Launcher.DisposeAsync().ConfigureAwait(false);
        await Master.DisposeAsync().ConfigureAwait(false);
        if (_ownsWorkDirectory)
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A task left a file it still writes; the temporary directory is the system's to clean.
            }
        }
    }
}
