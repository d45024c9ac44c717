using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Hosting;

/// <summary>What a handler can do: send calls, look at the subscription, and end the executor.</summary>
public interface IExecutorDriver
{
    /// <summary>The settings in use.</summary>
    ExecutorSettings Settings { get; }

    /// <summary>The latest SUBSCRIBED event.</summary>
    SubscribedEvent? Subscription { get; }

    /// <summary>Updates sent but not acknowledged yet, oldest first.</summary>
    IReadOnlyList<TaskStatus> UnacknowledgedUpdates { get; }

    /// <inheritdoc cref="Client.MesosExecutorClient.UpdateAsync"/>
    Task<TaskStatus> UpdateAsync(TaskStatus status, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="Client.MesosExecutorClient.MessageAsync"/>
    Task MessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="Client.MesosExecutorClient.WaitForAcknowledgementsAsync"/>
    Task WaitForAcknowledgementsAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the executor: stops reading events, closes the connection and stops the host with <paramref name="exitCode"/>.</summary>
    void Exit(int exitCode = 0);
}
