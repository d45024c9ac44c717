namespace Mesos.TaskHealth;

/// <summary>Something a monitored target did. A closed hierarchy: <see cref="HealthChanged"/> or <see cref="ProbeFailed"/>.</summary>
public abstract record HealthEvent
{
    private protected HealthEvent(string target, DateTimeOffset timestamp)
    {
        Target = target;
        Timestamp = timestamp;
    }

    /// <summary>The target's name.</summary>
    public string Target { get; }

    /// <summary>When the probe that caused the event ended.</summary>
    public DateTimeOffset Timestamp { get; }
}
