namespace Mesos.Testing.Cluster;

/// <summary>How a <see cref="LocalCluster"/> is laid out.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Where sandboxes go; a fresh temporary directory (deleted when the cluster stops) by default.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>How many agents the master offers.</summary>
    public int Agents { get; init; } = 1;

    public double AgentCpus { get; init; } = 4;

    public double AgentMem { get; init; } = 4096;

    public double AgentDisk { get; init; } = 8192;

    /// <summary>Ports each agent offers: free loopback ports the system handed out when the cluster started.</summary>
    public int PortsPerAgent { get; init; } = 16;

    /// <summary>The master's port (0: ephemeral).</summary>
    public int MasterPort { get; init; }

    /// <summary>HEARTBEAT period of the master (Mesos: 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc cref="ExecutorLauncherOptions.RegistrationTimeout"/>
    public TimeSpan ExecutorRegistrationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc cref="ExecutorLauncherOptions.ShutdownGracePeriod"/>
    public TimeSpan ExecutorShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc cref="ExecutorLauncherOptions.CommandExecutorPath"/>
    public string? CommandExecutorPath { get; init; }

    internal void Validate()
    {
        if (Agents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Agents), Agents, "LocalClusterOptions.Agents must be at least 1");
        }

        if (PortsPerAgent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PortsPerAgent), PortsPerAgent, "LocalClusterOptions.PortsPerAgent must not be negative");
        }

        if (MasterPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(MasterPort), MasterPort, "LocalClusterOptions.MasterPort must be a TCP port (0: ephemeral)");
        }
    }
}
