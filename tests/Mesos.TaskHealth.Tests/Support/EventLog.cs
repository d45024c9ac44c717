using System.Threading.Channels;

namespace Mesos.TaskHealth.Tests.Support;

/// <summary>Collects a monitor's events for bounded reads.</summary>
internal sealed class EventLog
{
    private readonly Channel<HealthEvent> _events = Channel.CreateUnbounded<HealthEvent>();

    public ValueTask OnEventAsync(HealthEvent healthEvent)
    {
        _events.Writer.TryWrite(healthEvent);
        return ValueTask.CompletedTask;
    }

    public async Task<T> NextAsync<T>() where T : HealthEvent
    {
        var next = await _events.Reader.ReadAsync().AsTask().Within();
        return Assert.IsType<T>(next);
    }

    public bool IsEmpty => !_events.Reader.TryPeek(out _);
}
