using Mesos.Executor.Runner.Processes.Native;
using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Processes;

internal sealed partial record ProcessCommand
{
    /// <summary>
    /// Starts the process. Throws <see cref="ProcessStartException"/> with a message that says what is wrong
    /// (executable missing or not executable, working directory missing, ...).
    /// </summary>
    public async Task<RunningProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (WorkingDirectory is not null && !Directory.Exists(WorkingDirectory))
        {
            throw new ProcessStartException($"working directory '{WorkingDirectory}' does not exist");
        }

        IReadOnlyList<string> argv = Argv.Count > 0 ? Argv : [Executable];
        for (int i = 0; i < argv.Count; i++)
        {
            if (argv[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new ProcessStartException($"argument {i} ('{argv[i].Replace("\0", "\\0", StringComparison.Ordinal)}') contains a NUL character");
            }
        }

        var marker = Guid.NewGuid().ToString("N");
        var environment = ProcessEnvironment.Merge(BaseEnvironment ?? ProcessEnvironment.Current(), ExcludedVariables, Environment, marker);
        var resolved = ExecutableResolver.Resolve(Executable, environment.GetValueOrDefault("PATH"), WorkingDirectory);
        var plan = await LaunchChain.PlanAsync(resolved, argv, ParentDeathSignal).ConfigureAwait(false);
        if (plan.Mode != LaunchMode.Direct)
        {
            // The parent-death signal reaches only the main process; the guard takes the rest of the tree.
            _ = await ExecutorGuard.EnsureStartedAsync().ConfigureAwait(false);
        }

        var request = new SpawnRequest(plan.Path, plan.Argv, ProcessEnvironment.ToEnvp(environment), WorkingDirectory, SpawnRequest.DevNull, SpawnRequest.DevNull);

        var (stdout, stderr) = CreateSinks();
        int inheritOrNull = Output is ProcessOutput.InheritOutput ? SpawnRequest.Inherit : SpawnRequest.DevNull;
        var loop = ProcessIoLoop.Shared;
        cancellationToken.ThrowIfCancellationRequested();
        return await loop.InvokeAsync(() => RunningProcess.Spawn(loop, request, inheritOrNull, stdout, stderr, marker, plan.Mode, TimeProvider))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the process to its end. <paramref name="graceful"/> sends SIGTERM to its process group;
    /// <paramref name="forceful"/> SIGKILLs the group and every tracked descendant. Returns (or throws
    /// <see cref="ProcessCanceledException"/> naming the token that fired) only once the process is reaped
    /// and nothing of its tree is left alive.
    /// </summary>
    public async Task<ProcessResult> ExecuteAsync(CancellationToken forceful = default, CancellationToken graceful = default)
    {
        var process = await StartAsync(forceful).ConfigureAwait(false);
        await using (process.ConfigureAwait(false))
        {
            var result = await process.WaitAsync(forceful, graceful).ConfigureAwait(false);
            return result.StoppedBy switch
            {
                ProcessStopReason.None => result,
                ProcessStopReason.Forceful => throw new ProcessCanceledException(result, forceful),
                _ => throw new ProcessCanceledException(result, graceful),
            };
        }
    }

    private (OutputSink? Stdout, OutputSink? Stderr) CreateSinks()
    {
        switch (Output)
        {
            case ProcessOutput.FileOutput { Options: var options }:
                options.Validate();
                return (new RotatingFileSink(options.Directory, options.StdoutFileName, options),
                        new RotatingFileSink(options.Directory, options.StderrFileName, options));
            case ProcessOutput.SinkOutput sinks:
                return (sinks.Stdout(), sinks.Stderr());
            default:
                return (null, null);
        }
    }
}
