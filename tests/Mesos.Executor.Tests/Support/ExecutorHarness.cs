using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using Mesos.Protocol.Encoding;
using Mesos.Testing.Agent;

namespace Mesos.Executor.Tests.Support;

/// <summary>A fake agent and a low-level client subscribed to it, with the client's events collected in the background.</summary>
internal sealed class ExecutorHarness : IAsyncDisposable
{
    private readonly List<ExecutorEvent> _events = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExecutorHarness(FakeAgent agent, MesosExecutorClient client)
    {
        Agent = agent;
        Client = client;
    }

    public FakeAgent Agent { get; }

    public MesosExecutorClient Client { get; }

    public Task Reading { get; private set; } = Task.CompletedTask;

    public Exception? ReadError { get; private set; }

    public IReadOnlyList<ExecutorEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public static ExecutorSettings Settings(FakeAgent agent, MesosEncoding encoding, TimeSpan? recoveryTimeout = null, string? token = null) =>
        ExecutorSettings.FromEnvironment(agent.ExecutorEnvironment(
            Path.GetTempPath(), recoveryTimeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), token)) with
        {
            Encoding = encoding,
        };

    public static async Task<ExecutorHarness> StartAsync(
        MesosEncoding encoding,
        FakeAgentOptions? agentOptions = null,
        MesosExecutorOptions? options = null,
        TimeSpan? recoveryTimeout = null,
        string? token = null,
        bool waitForSubscribed = true)
    {
        var agent = await FakeAgent.StartAsync(agentOptions).Bounded();
        var client = MesosExecutorClient.Create(Settings(agent, encoding, recoveryTimeout, token), options);
        var harness = new ExecutorHarness(agent, client);
        harness.Reading = harness.ReadAsync();
        if (waitForSubscribed)
        {
            await harness.WaitForEventAsync<SubscribedEvent>().Bounded();
        }

        return harness;
    }

    public async Task<T> WaitForEventAsync<T>(Func<T, bool>? match = null, int skip = 0)
        where T : ExecutorEvent
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
                var found = _events.OfType<T>().Where(e => match?.Invoke(e) ?? true).Skip(skip).FirstOrDefault();
                if (found is not null)
                {
                    return found;
                }
            }

            if (Reading.IsCompleted)
            {
                throw new InvalidOperationException($"The event stream ended without a {typeof(T).Name}", ReadError);
            }

            await Task.WhenAny(changed, Reading).WaitAsync(TestTimeouts.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Agent.DisposeAsync();
        try
        {
            await Reading.WaitAsync(TestTimeouts.Default);
        }
        catch (Exception)
        {
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var received in Client.ReadEventsAsync())
            {
                lock (_gate)
                {
                    _events.Add(received);
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.TrySetResult();
                }
            }
        }
        catch (Exception ex)
        {
            ReadError = ex;
        }
        finally
        {
            lock (_gate)
            {
                _changed.TrySetResult();
            }
        }
    }
}
