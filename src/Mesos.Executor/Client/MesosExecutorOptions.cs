using Google.Protobuf;
using Mesos.Executor.Configuration;
using Call = Mesos.V1.Executor.Call;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Client;

/// <summary>How the executor client behaves beyond what the agent's environment says.</summary>
public sealed record MesosExecutorOptions
{
    /// <summary>The settings to use; null reads them from the environment (<see cref="ExecutorSettings.FromEnvironment()"/>) at start.</summary>
    public ExecutorSettings? Settings { get; init; }

    /// <summary>Bound on one call (UPDATE, MESSAGE) from sending to the agent's answer.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called after the agent accepted a SUBSCRIBE (the seed's <c>sent_subscribe</c>).</summary>
    public Func<SentSubscribe, ValueTask>? OnSentSubscribe { get; init; }

    /// <summary>Called after the agent accepted an UPDATE (the seed's <c>sent_update</c>).</summary>
    public Func<SentUpdate, ValueTask>? OnSentUpdate { get; init; }

    /// <summary>Called after the agent accepted a MESSAGE (the seed's <c>sent_message</c>).</summary>
    public Func<SentMessage, ValueTask>? OnSentMessage { get; init; }

    /// <summary>
    /// Time kept free at the end of the shutdown grace period for terminal updates: tasks are given
    /// MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD minus this to stop. Upstream's command executor keeps 2 seconds.
    /// </summary>
    public TimeSpan ShutdownMargin { get; init; } = Defaults.ShutdownMargin;

    /// <summary>Set <see cref="Environment.ExitCode"/> when the hosted executor ends (0 after SHUTDOWN, 1 when the agent was lost).</summary>
    public bool SetProcessExitCode { get; init; } = true;

    /// <summary>Stop the host application when the hosted executor ends.</summary>
    public bool StopApplication { get; init; } = true;

    /// <summary>Picks re-SUBSCRIBE delays as a fraction of the backoff maximum, in [0, 1); tests make it deterministic.</summary>
    internal Func<double> Random { get; init; } = System.Random.Shared.NextDouble;
}

/// <summary>A SUBSCRIBE the agent accepted, with the unacknowledged tasks and updates it carried.</summary>
public sealed record SentSubscribe(Call Call);

/// <summary>An UPDATE the agent accepted (202), with the status as sent (uuid, timestamp, source filled in).</summary>
public sealed record SentUpdate(TaskStatus Status);

/// <summary>A MESSAGE the agent accepted (202).</summary>
public sealed record SentMessage(ByteString Data);
