using System.Text;
using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Tests.Support;

/// <summary>Keeps a stream's output in memory and lets a test await a piece of text (a child saying "ready").</summary>
internal sealed class TextSink : OutputSink
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public override Task Completion => _completion.Task;

    public override void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _text.Append(Encoding.UTF8.GetString(data));
            var text = _text.ToString();
            _waiters.RemoveAll(waiter =>
            {
                if (text.Contains(waiter.Text, StringComparison.Ordinal))
                {
                    waiter.Seen.TrySetResult();
                    return true;
                }

                return false;
            });
        }
    }

    public override void Complete()
    {
        lock (_lock)
        {
            foreach (var (text, seen) in _waiters)
            {
                seen.TrySetException(new InvalidOperationException($"the stream ended without '{text}'; it said: {_text}"));
            }

            _waiters.Clear();
        }

        _completion.TrySetResult();
    }

    /// <summary>Completes when <paramref name="text"/> has appeared (bounded by the test timeout).</summary>
    public Task WaitForAsync(string text)
    {
        lock (_lock)
        {
            if (_text.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task.WaitAsync(TestTimeouts.Await);
        }
    }
}
