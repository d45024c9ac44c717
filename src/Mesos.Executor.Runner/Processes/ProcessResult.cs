namespace Mesos.Executor.Runner.Processes;

/// <summary>The end of one process run: always produced after the main process has been reaped.</summary>
/// <param name="Pid">The main process id (no longer valid).</param>
/// <param name="Status">Exit code or signal.</param>
/// <param name="StartTime">When it was spawned.</param>
/// <param name="ExitTime">When its exit was noticed.</param>
/// <param name="StoppedBy">Which stop token fired before it ended, if any.</param>
/// <param name="DroppedOutputBytes">Output bytes dropped because the disk could not keep up (stdout + stderr).</param>
internal sealed record ProcessResult(
    int Pid,
    ProcessExitStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset ExitTime,
    ProcessStopReason StoppedBy,
    long DroppedOutputBytes)
{
    public TimeSpan RunTime => ExitTime - StartTime;
}
