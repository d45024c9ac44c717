using Mesos.Executor.Runner.Tasks;

namespace Mesos.Executor.Runner.Tests.Support;

/// <summary>Reads a supervisor's events in the background; tests await the one they need.</summary>
internal sealed class EventLog
{
    private readonly Lock _lock = new();
    private readonly List<SupervisorEvent> _events = [];
    private readonly List<(Func<SupervisorEvent, bool> Match, TaskCompletionSource<SupervisorEvent> Seen)> _waiters = [];
    private readonly Task _reader;

    public EventLog(ProcessSetSupervisor supervisor)
    {
        _reader = Task.Run(async () =>
        {
            await foreach (var item in supervisor.ReadEventsAsync())
            {
                lock (_lock)
                {
                    _events.Add(item);
                    _waiters.RemoveAll(waiter =>
                    {
                        if (!waiter.Match(item))
                        {
                            return false;
                        }

                        waiter.Seen.TrySetResult(item);
                        return true;
                    });
                }
            }
        });
    }

    public IReadOnlyList<SupervisorEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The first event (already seen or still to come) of type <typeparamref name="T"/> that matches.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null)
        where T : SupervisorEvent
    {
        bool Matches(SupervisorEvent item) => item is T typed && (match is null || match(typed));
        Task<SupervisorEvent> seen;
        lock (_lock)
        {
            var existing = _events.FirstOrDefault(Matches);
            if (existing is not null)
            {
                return (T)existing;
            }

            var waiter = new TaskCompletionSource<SupervisorEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Matches, waiter));
            seen = waiter.Task;
        }

        return (T)await seen.WaitAsync(TestTimeouts.Await);
    }

    /// <summary>All events, once the stream has ended.</summary>
    public async Task<IReadOnlyList<SupervisorEvent>> AllAsync()
    {
        await _reader.WaitAsync(TestTimeouts.Await);
        return Events;
    }
}
