using Mesos.ZooKeeper.Jute;

namespace Mesos.ZooKeeper.Client;

internal delegate T ReplyParser<out T>(ref JuteReader reader);

/// <summary>A request sent and not yet answered. Completed by the receive loop, in reply order.</summary>
internal abstract class PendingRequest(int xid, string? path)
{
    public int Xid { get; } = xid;

    /// <summary>The client path, for error messages.</summary>
    public string? Path { get; } = path;

    /// <summary>Completes from the reply; returns an error text when the body was malformed.</summary>
    public abstract string? Complete(ZooKeeperErrorCode error, ref JuteReader body);

    public abstract void Fail(Exception exception);
}

internal sealed class PendingRequest<T>(
    int xid,
    string? path,
    ReplyParser<T> parse,
    Action? onSuccess = null,
    Func<T>? onNoNode = null) : PendingRequest(xid, path)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override string? Complete(ZooKeeperErrorCode error, ref JuteReader body)
    {
        if (error == ZooKeeperErrorCode.Ok)
        {
            T value;
            try
            {
                value = parse(ref body);
            }
            catch (ZooKeeperProtocolException exception)
            {
                _completion.TrySetException(exception);
                return exception.Message;
            }

            // Registered here, on the receive loop, before any later notification is read: a watch event
            // for this node can never overtake its registration.
            onSuccess?.Invoke();
            _completion.TrySetResult(value);
        }
        else if (error == ZooKeeperErrorCode.NoNode && onNoNode is not null)
        {
            _completion.TrySetResult(onNoNode());
        }
        else
        {
            _completion.TrySetException(ZooKeeperException.FromCode(error, Path));
        }

        return null;
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
