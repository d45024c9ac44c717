namespace Mesos.Scheduler.Lite;

/// <summary>No master could be subscribed to (all unreachable, without leader, or refusing), or the reconnect budget is spent.</summary>
public sealed class SchedulerConnectionException : Exception
{
    public SchedulerConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True once the client ever held a subscription (mesoshttp's <c>register()</c> returns false otherwise).</summary>
    public bool WasEverSubscribed { get; init; }
}
