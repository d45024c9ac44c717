using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>Where and how a task's processes run.</summary>
internal sealed record SupervisorOptions
{
    /// <summary>Working directory of every process, and where output files go unless <see cref="Output"/> says otherwise.</summary>
    public required string Sandbox { get; init; }

    /// <summary>
    /// Output limits and directory; null means the defaults in <see cref="Sandbox"/>. A plain task writes
    /// <c>stdout</c>/<c>stderr</c>; a task with a processes list writes <c>NAME.stdout</c>/<c>NAME.stderr</c>
    /// per process (the file names set here are ignored).
    /// </summary>
    public OutputOptions? Output { get; init; }

    /// <summary>Base environment of every process; null means the executor's own.</summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }

    /// <summary>Names never passed on from the base environment.</summary>
    public IReadOnlySet<string> ExcludedVariables { get; init; } = Defaults.SecretVariables;

    /// <summary>Grace between SIGTERM and SIGKILL when the supervisor itself stops the rest of a task (failure or finish).</summary>
    public TimeSpan StopGracePeriod { get; init; } = TaskDefaults.StopGracePeriod;

    /// <summary>Drives restart backoff and the stop grace period.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Sandbox))
        {
            throw new ArgumentException("SupervisorOptions.Sandbox must name the task's sandbox directory", nameof(Sandbox));
        }

        if (StopGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException($"SupervisorOptions.StopGracePeriod must not be negative (was {StopGracePeriod})", nameof(StopGracePeriod));
        }

        Output?.Validate();
    }
}
