using Mesos.Executor.Runner.Processes.Native;
using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// A started process: leader of its own session and process group. When it exits, whatever is left of its
/// tree (group, session, marked or descendant processes) is SIGKILLed <em>before</em> it is reaped, while its
/// zombie still pins the group id, then it is reaped, then its output is drained. Only after all that does
/// <see cref="Completion"/> complete: a result always means nothing of the process is left running.
/// </summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<ProcessResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly OutputPipe? _stdout;
    private readonly OutputPipe? _stderr;
    private readonly TimeProvider _time;
    private ProcessStopReason _stopReason;
    private bool _exited;
    private bool _reaped;

    private RunningProcess(int pid, string marker, LaunchMode mode, OutputPipe? stdout, OutputPipe? stderr, TimeProvider time)
    {
        Pid = pid;
        Marker = marker;
        LaunchMode = mode;
        _stdout = stdout;
        _stderr = stderr;
        _time = time;
        StartTime = time.GetUtcNow();
    }

    /// <summary>The main process id; also its process group and session id.</summary>
    public int Pid { get; }

    /// <summary>The value of <see cref="ProcessTree.MarkerVariable"/> in this process tree's environment.</summary>
    public string Marker { get; }

    public LaunchMode LaunchMode { get; }

    public DateTimeOffset StartTime { get; }

    /// <summary>Completes once the process is reaped, its leftovers killed and its output drained.</summary>
    public Task<ProcessResult> Completion => _result.Task;

    /// <summary>What the sweeper needs to find the tree; the group id only while the leader is unreaped.</summary>
    internal TreeTarget TreeTarget
    {
        get
        {
            lock (_lock)
            {
                return new TreeTarget(_reaped ? null : Pid, Marker);
            }
        }
    }

    /// <summary>Graceful stop: SIGTERM, then SIGCONT (a stopped process must run to handle it), to the process group.</summary>
    public void Terminate()
    {
        RaiseStopReason(ProcessStopReason.Graceful);
        SignalGroup(Libc.SIGTERM);
        SignalGroup(Libc.SIGCONT);
    }

    /// <summary>
    /// Forceful stop: SIGKILL to the process group and the main process. Descendants outside the group
    /// (setsid daemons) are killed by the sweep that follows the main process's exit.
    /// </summary>
    public void Kill()
    {
        RaiseStopReason(ProcessStopReason.Forceful);
        SignalGroup(Libc.SIGKILL);
    }

    /// <summary>
    /// Waits for the end. <paramref name="graceful"/> firing calls <see cref="Terminate"/>,
    /// <paramref name="forceful"/> calls <see cref="Kill"/>; either way this returns only after the process is
    /// reaped. The result says which token fired first-strongest (<see cref="ProcessResult.StoppedBy"/>).
    /// </summary>
    public async Task<ProcessResult> WaitAsync(CancellationToken forceful = default, CancellationToken graceful = default)
    {
        using var onGraceful = graceful.UnsafeRegister(static state => ((RunningProcess)state!).Terminate(), this);
        using var onForceful = forceful.UnsafeRegister(static state => ((RunningProcess)state!).Kill(), this);
        return await _result.Task.ConfigureAwait(false);
    }

    /// <summary>Kills the process if it still runs and waits until it is reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_result.Task.IsCompleted)
        {
            Kill();
        }

        _ = await _result.Task.ConfigureAwait(false);
    }

    /// <summary>Signals the process group and the leader itself, unless the leader is reaped (its id may belong to someone else then).</summary>
    internal void SignalGroup(int signal)
    {
        lock (_lock)
        {
            if (_reaped)
            {
                return;
            }

            _ = Libc.kill(-Pid, signal);
            _ = Libc.kill(Pid, signal);
        }
    }

    /// <summary>Spawns the process and starts watching it. Runs on the I/O loop thread (see <see cref="ProcessIoLoop"/>).</summary>
    internal static RunningProcess Spawn(
        ProcessIoLoop loop,
        SpawnRequest request,
        int inheritOrNull,
        OutputSink? stdoutSink,
        OutputSink? stderrSink,
        string marker,
        LaunchMode mode,
        TimeProvider time)
    {
        OutputPipe? stdout = null, stderr = null;
        int stdoutFd = inheritOrNull, stderrFd = inheritOrNull;
        try
        {
            if (stdoutSink is not null)
            {
                (stdout, stdoutFd) = OutputPipe.Create(loop, stdoutSink);
            }

            if (stderrSink is not null)
            {
                (stderr, stderrFd) = OutputPipe.Create(loop, stderrSink);
            }

            int pid = PosixSpawn.Spawn(request with { StdoutFd = stdoutFd, StderrFd = stderrFd });
            var process = new RunningProcess(pid, marker, mode, stdout, stderr, time);
            ProcessRegistry.Add(process);
            stdout?.Start();
            stderr?.Start();
            ExitWatcher.Watch(loop, pid, () => _ = process.OnExitedAsync());
            return process;
        }
        catch
        {
            stdout?.CloseUnstarted();
            stderr?.CloseUnstarted();
            throw;
        }
        finally
        {
            // The child has its copies; ours must go or end-of-file never comes.
            if (stdoutFd >= 0)
            {
                _ = Libc.close(stdoutFd);
            }

            if (stderrFd >= 0)
            {
                _ = Libc.close(stderrFd);
            }
        }
    }

    private void RaiseStopReason(ProcessStopReason reason)
    {
        lock (_lock)
        {
            if (!_exited && reason > _stopReason)
            {
                _stopReason = reason;
            }
        }
    }

    private async Task OnExitedAsync()
    {
        try
        {
            var exitTime = _time.GetUtcNow();
            ProcessStopReason stoppedBy;
            lock (_lock)
            {
                _exited = true;
                stoppedBy = _stopReason;
            }

            var status = ExitWatcher.WaitNoReap(Pid, blocking: false) ?? ProcessExitStatus.Unknown;

            // Kill the rest of the tree while the zombie leader still pins the group and session id.
            _ = await ProcessSweeper.SweepAsync(new TreeTarget(Pid, Marker)).ConfigureAwait(false);
            lock (_lock)
            {
                _ = ExitWatcher.Reap(Pid);
                _reaped = true;
            }

            // Sweep once more by marker only: a descendant might have been forking while the first sweep ran.
            _ = await ProcessSweeper.SweepAsync(new TreeTarget(null, Marker)).ConfigureAwait(false);
            await DrainOutputAsync().ConfigureAwait(false);
            ProcessRegistry.Remove(this);
            long dropped = (_stdout?.Sink.DroppedBytes ?? 0) + (_stderr?.Sink.DroppedBytes ?? 0);
            _result.TrySetResult(new ProcessResult(Pid, status, StartTime, exitTime, stoppedBy, dropped));
        }
#pragma warning disable CA1031 // the waiter must learn about it, not an unobserved task
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ProcessRegistry.Remove(this);
            _result.TrySetException(ex);
        }
    }

    private async Task DrainOutputAsync()
    {
        OutputPipe[] pipes = [.. new[] { _stdout, _stderr }.OfType<OutputPipe>()];
        if (pipes.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(pipes.Select(pipe => pipe.Closed)).WaitAsync(Defaults.OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Something outside every tracking method still holds the pipe: stop reading.
            foreach (var pipe in pipes)
            {
                pipe.Abandon();
            }
        }

        try
        {
            await Task.WhenAll(pipes.Select(pipe => pipe.Sink.Completion)).WaitAsync(Defaults.OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The disk is very slow: the writer finishes in the background.
        }
    }
}
