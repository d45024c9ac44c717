using System.Threading.Channels;

namespace Mesos.TaskHealth.Tests.Support;

/// <summary>A probe whose every attempt waits until the test answers it: full control of results and of when they come.</summary>
internal sealed class ScriptedProbe : IHealthProbe
{
    private readonly Channel<PendingProbe> _calls = Channel.CreateUnbounded<PendingProbe>();

    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var pending = new PendingProbe(cancellationToken);
        _calls.Writer.TryWrite(pending);
        return new ValueTask<ProbeResult>(pending.Task);
    }

    public Task<PendingProbe> NextCallAsync() => _calls.Reader.ReadAsync().AsTask().Within();

    public bool HasPendingCall => _calls.Reader.TryPeek(out _);

    internal sealed class PendingProbe
    {
        private readonly TaskCompletionSource<ProbeResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingProbe(CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            cancellationToken.Register(() => _result.TrySetCanceled(cancellationToken));
        }

        public CancellationToken Token { get; }

        public Task<ProbeResult> Task => _result.Task;

        public void Succeed() => _result.TrySetResult(ProbeResult.Healthy());

        public void Fail(string message = "scripted failure") =>
            _result.TrySetResult(ProbeResult.Unhealthy(ProbeFailureKind.StatusCode, message));
    }
}
