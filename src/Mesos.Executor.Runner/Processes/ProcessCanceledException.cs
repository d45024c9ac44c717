namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// <see cref="ProcessCommand.ExecuteAsync"/> was stopped by one of its tokens. Thrown only after the process
/// has been reaped; <see cref="Result"/> says how it ended and <see cref="StoppedBy"/> which token fired.
/// </summary>
internal sealed class ProcessCanceledException : OperationCanceledException
{
    public ProcessCanceledException(ProcessResult result, CancellationToken token)
        : base(Describe(result), token)
    {
        Result = result;
    }

    public ProcessResult Result { get; }

    public ProcessStopReason StoppedBy => Result.StoppedBy;

    private static string Describe(ProcessResult result) => result.StoppedBy switch
    {
        ProcessStopReason.Forceful => $"Process {result.Pid} was killed (forceful stop: SIGKILL to its tree); it ended with {result.Status}.",
        _ => $"Process {result.Pid} was stopped (graceful stop: SIGTERM to its process group); it ended with {result.Status}.",
    };
}
