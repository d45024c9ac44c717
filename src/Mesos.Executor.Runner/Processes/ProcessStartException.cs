namespace Mesos.Executor.Runner.Processes;

/// <summary>A process could not be started at all (missing executable, bad working directory, ...). The message says why.</summary>
internal sealed class ProcessStartException : Exception
{
    public ProcessStartException()
    {
    }

    public ProcessStartException(string message)
        : base(message)
    {
    }

    public ProcessStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
