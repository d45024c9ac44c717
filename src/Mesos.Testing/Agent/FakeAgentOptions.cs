using FrameworkInfo = Mesos.V1.FrameworkInfo;

namespace Mesos.Testing.Agent;

/// <summary>Who the fake agent is and how it behaves.</summary>
public sealed record FakeAgentOptions
{
    public string FrameworkId { get; init; } = "fake-framework-0001";

    public string ExecutorId { get; init; } = "fake-executor";

    public string AgentId { get; init; } = "fake-agent-S0";

    /// <summary>The framework's capabilities sent in SUBSCRIBED; TASK_KILLING_STATE by default, as the recordings show.</summary>
    public IReadOnlyList<FrameworkInfo.Types.Capability.Types.Type> FrameworkCapabilities { get; init; } =
        [FrameworkInfo.Types.Capability.Types.Type.TaskKillingState];

    /// <summary>Whether the framework checkpoints (SUBSCRIBED's framework_info.checkpoint and MESOS_CHECKPOINT).</summary>
    public bool Checkpoint { get; init; }

    /// <summary>When to acknowledge accepted updates.</summary>
    public AcknowledgementPolicy Acknowledgements { get; init; } = AcknowledgementPolicy.Immediate;

    /// <summary>The delay of <see cref="AcknowledgementPolicy.Delayed"/>.</summary>
    public TimeSpan AcknowledgementDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;token&gt;</c> (else 401), as with the agent's <c>--authenticate_http_executors</c>.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>Listen on this Unix domain socket instead of TCP (the agent's <c>--http_executor_domain_sockets</c>).</summary>
    public string? UnixSocketPath { get; init; }
}

/// <summary>When the fake agent acknowledges an update it accepted.</summary>
public enum AcknowledgementPolicy
{
    /// <summary>At once, as a healthy agent does.</summary>
    Immediate,

    /// <summary>After <see cref="FakeAgentOptions.AcknowledgementDelay"/>.</summary>
    Delayed,

    /// <summary>Only when the test calls <see cref="FakeAgent.AcknowledgeAsync"/>.</summary>
    Never,
}

/// <summary>How the fake agent is unavailable during a simulated restart.</summary>
public enum AgentOutage
{
    /// <summary>The port is closed: connections are refused (a stopped agent).</summary>
    Refuse,

    /// <summary>Every request is answered 503 "Agent has not finished recovery" (a recovering agent).</summary>
    ServiceUnavailable,
}
