namespace Mesos.Executor.Hosting;

/// <summary>Tells when the hosted executor has ended and with which exit code (also set as the process exit code by default).</summary>
public sealed class MesosExecutorLifetime
{
    private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the exit code: 0 after SHUTDOWN or when the handler exited with 0; 1 when the agent was lost.</summary>
    public Task<int> Completion => _completion.Task;

    internal void Complete(int exitCode) => _completion.TrySetResult(exitCode);
}
