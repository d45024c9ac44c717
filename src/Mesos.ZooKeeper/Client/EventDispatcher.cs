using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mesos.ZooKeeper.Client;

/// <summary>
/// Runs watch and session-state callbacks one at a time, in the order the client saw the events, off the
/// receive loop (a slow or throwing callback never stalls or breaks the connection).
/// </summary>
internal sealed class EventDispatcher
{
    private readonly Channel<Func<ValueTask>> _queue =
        Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly AsyncLocal<bool> _onLoop = new();
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Post(Func<ValueTask> callback) => _queue.Writer.TryWrite(callback);

    /// <summary>Runs what was posted so far, then stops. Does not wait when called from a callback (that would deadlock).</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _onLoop.Value ? Task.CompletedTask : _loop;
    }

    private async Task RunAsync()
    {
        _onLoop.Value = true;
        await foreach (var callback in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await callback().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.CallbackFailed(_logger, exception);
            }
        }
    }
}
