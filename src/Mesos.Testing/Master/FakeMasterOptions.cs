namespace Mesos.Testing.Master;

/// <summary>How a <see cref="FakeMaster"/> behaves.</summary>
public sealed record FakeMasterOptions
{
    /// <summary>The master's id; framework, agent and offer ids start with it.</summary>
    public string MasterId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>HEARTBEAT period, announced in SUBSCRIBED as <c>heartbeat_interval_seconds</c> (Mesos: 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often free resources of unfiltered agents are offered to subscribed, unsuppressed frameworks (Mesos: 1 s).</summary>
    public TimeSpan AllocationInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Refuse filter when ACCEPT or DECLINE carries none (Mesos' <c>Filters.refuse_seconds</c> default is 5).</summary>
    public TimeSpan DefaultRefuse { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the <c>Authorization</c> header of every request; null accepts all. A false answer is 401.</summary>
    public Func<string?, bool>? Authenticate { get; init; }

    /// <summary>Runs launched tasks; <see cref="SimulatedTaskLauncher"/> by default. A fake agent running the real executor plugs in here.</summary>
    public IFakeTaskLauncher? Launcher { get; init; }

    /// <summary>The port to listen on (0: ephemeral).</summary>
    public int Port { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
