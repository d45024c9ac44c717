using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Policy;

/// <summary>The monitor's timing, driven by a manual clock: nothing here waits for real time.</summary>
public sealed class HealthMonitorTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ScriptedProbe _probe = new();
    private readonly EventLog _events = new();

    private HealthMonitor Start(HealthPolicy policy) =>
        HealthMonitor.Start(new HealthTarget("web", _probe, policy), _events.OnEventAsync, _clock);

    [Fact]
    public async Task FirstProbe_WaitsForTheInitialDelay()
    {
        await using var monitor = Start(new HealthPolicy { InitialDelay = TimeSpan.FromSeconds(15) });
        await _clock.WaitForTimersAsync();

        _clock.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));
        Assert.False(_probe.HasPendingCall);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var call = await _probe.NextCallAsync();
        call.Succeed();
        Assert.Equal(HealthState.Healthy, (await _events.NextAsync<HealthChanged>()).Current);
    }

    [Fact]
    public async Task Interval_CountsFromTheEndOfThePreviousProbe()
    {
        await using var monitor = Start(new HealthPolicy { Interval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(60) });
        var first = await _probe.NextCallAsync();

        _clock.Advance(TimeSpan.FromSeconds(7)); // the probe takes 7 s
        first.Succeed();
        await _events.NextAsync<HealthChanged>();
        await _clock.WaitForTimersAsync();
        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));

        Assert.False(_probe.HasPendingCall);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await _probe.NextCallAsync();
        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task ProbePastTheTimeout_IsCancelledAndReportedAsTimeout()
    {
        await using var monitor = Start(new HealthPolicy { Timeout = TimeSpan.FromSeconds(20), ConsecutiveFailures = 1 });
        var call = await _probe.NextCallAsync();
        await _clock.WaitForTimersAsync();

        _clock.Advance(TimeSpan.FromSeconds(20));

        var failed = await _events.NextAsync<ProbeFailed>();
        Assert.True(call.Token.IsCancellationRequested);
        Assert.Equal(ProbeFailureKind.Timeout, failed.Result.Failure);
        Assert.Equal(TimeSpan.FromSeconds(20), failed.Result.Duration);
        Assert.Equal(HealthState.Unhealthy, (await _events.NextAsync<HealthChanged>()).Current);
    }

    [Fact]
    public async Task GraceThresholdAndRecovery_FollowTheClock()
    {
        var policy = new HealthPolicy
        {
            Interval = TimeSpan.FromSeconds(10),
            GracePeriod = TimeSpan.FromSeconds(15),
            ConsecutiveFailures = 2,
        };
        await using var monitor = Start(policy);

        (await _probe.NextCallAsync()).Fail();                       // t = 0: inside grace
        Assert.True((await _events.NextAsync<ProbeFailed>()).InGracePeriod);
        await NextRoundAsync(policy.Interval);
        (await _probe.NextCallAsync()).Fail();                       // t = 10: inside grace
        Assert.True((await _events.NextAsync<ProbeFailed>()).InGracePeriod);
        await NextRoundAsync(policy.Interval);
        (await _probe.NextCallAsync()).Fail();                       // t = 20: counted, 1
        Assert.Equal(1, (await _events.NextAsync<ProbeFailed>()).ConsecutiveFailures);
        await NextRoundAsync(policy.Interval);
        (await _probe.NextCallAsync()).Fail();                       // t = 30: counted, 2 -> unhealthy
        Assert.Equal(2, (await _events.NextAsync<ProbeFailed>()).ConsecutiveFailures);
        Assert.Equal(HealthState.Unhealthy, (await _events.NextAsync<HealthChanged>()).Current);
        await NextRoundAsync(policy.Interval);
        (await _probe.NextCallAsync()).Succeed();                    // t = 40: recovery

        Assert.True((await _events.NextAsync<HealthChanged>()).IsRecovery);
        Assert.Equal(HealthState.Healthy, monitor.Snapshot.State);
        Assert.Equal(5, monitor.Snapshot.Probes);
    }

    [Fact]
    public async Task Stop_CancelsTheProbeInFlight_AndEndsTheLoop()
    {
        var monitor = Start(new HealthPolicy());
        var call = await _probe.NextCallAsync();

        await monitor.StopAsync().Within();

        Assert.True(call.Token.IsCancellationRequested);
        Assert.True(monitor.Completion.IsCompletedSuccessfully);
        Assert.True(_events.IsEmpty);
        await monitor.DisposeAsync();
    }

    [Fact]
    public async Task ThrowingCallback_DoesNotStopTheMonitor()
    {
        await using var monitor = HealthMonitor.Start(
            new HealthTarget("web", _probe, new HealthPolicy { Interval = TimeSpan.FromSeconds(1), ConsecutiveFailures = 1 }),
            async healthEvent =>
            {
                await _events.OnEventAsync(healthEvent);
                throw new InvalidOperationException("callback bug");
            },
            _clock);

        (await _probe.NextCallAsync()).Succeed();
        await _events.NextAsync<HealthChanged>();
        await NextRoundAsync(TimeSpan.FromSeconds(1));
        (await _probe.NextCallAsync()).Fail();
        await _events.NextAsync<ProbeFailed>();
        await _events.NextAsync<HealthChanged>();
        await NextRoundAsync(TimeSpan.FromSeconds(1));

        Assert.NotNull(await _probe.NextCallAsync());
        Assert.Equal(HealthState.Unhealthy, monitor.Snapshot.State);
    }

    [Fact]
    public void Start_ValidatesThePolicy()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Start(new HealthPolicy { Timeout = TimeSpan.Zero }));

        Assert.Contains("HealthPolicy.Timeout", ex.Message, StringComparison.Ordinal);
    }

    private async Task NextRoundAsync(TimeSpan interval)
    {
        await _clock.WaitForTimersAsync();
        _clock.Advance(interval);
    }
}
