namespace Mesos.TaskHealth.Tests.Policy;

public sealed class HealthStateMachineTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Ok = ProbeResult.Healthy();
    private static readonly ProbeResult Bad = ProbeResult.Unhealthy(ProbeFailureKind.StatusCode, "HTTP 500");

    private static HealthStateMachine Machine(HealthPolicy policy) => new("t", policy, Start);

    private static DateTimeOffset At(double seconds) => Start.AddSeconds(seconds);

    [Fact]
    public void FirstSuccess_MovesUnknownToHealthy()
    {
        var machine = Machine(new HealthPolicy());

        var events = machine.Observe(Ok, At(1));

        var changed = Assert.IsType<HealthChanged>(Assert.Single(events));
        Assert.Equal((HealthState.Unknown, HealthState.Healthy), (changed.Previous, changed.Current));
        Assert.False(changed.IsRecovery);
        Assert.Empty(machine.Observe(Ok, At(2)));
    }

    [Fact]
    public void ConsecutiveFailures_MakeUnhealthyExactlyAtTheThreshold_AndEveryFailureIsReported()
    {
        var machine = Machine(new HealthPolicy { ConsecutiveFailures = 3 });
        machine.Observe(Ok, At(1));

        var first = machine.Observe(Bad, At(2));
        var second = machine.Observe(Bad, At(3));
        var third = machine.Observe(Bad, At(4));
        var fourth = machine.Observe(Bad, At(5));

        Assert.Equal(1, Assert.IsType<ProbeFailed>(Assert.Single(first)).ConsecutiveFailures);
        Assert.Equal(2, Assert.IsType<ProbeFailed>(Assert.Single(second)).ConsecutiveFailures);
        Assert.Equal(2, third.Count);
        Assert.Equal(3, Assert.IsType<ProbeFailed>(third[0]).ConsecutiveFailures);
        var changed = Assert.IsType<HealthChanged>(third[1]);
        Assert.Equal((HealthState.Healthy, HealthState.Unhealthy), (changed.Previous, changed.Current));
        Assert.Equal("HTTP 500", changed.Result.Message);
        Assert.IsType<ProbeFailed>(Assert.Single(fourth));
        Assert.Equal(HealthState.Unhealthy, machine.State);
    }

    [Fact]
    public void ASuccess_ResetsTheFailureCount()
    {
        var machine = Machine(new HealthPolicy { ConsecutiveFailures = 2 });
        machine.Observe(Bad, At(1));
        machine.Observe(Ok, At(2));

        var events = machine.Observe(Bad, At(3));

        Assert.Equal(1, Assert.IsType<ProbeFailed>(Assert.Single(events)).ConsecutiveFailures);
        Assert.Equal(HealthState.Healthy, machine.State);
    }

    [Fact]
    public void Recovery_MovesUnhealthyToHealthy()
    {
        var machine = Machine(new HealthPolicy { ConsecutiveFailures = 1 });
        machine.Observe(Bad, At(1));

        var changed = Assert.IsType<HealthChanged>(Assert.Single(machine.Observe(Ok, At(2))));

        Assert.True(changed.IsRecovery);
        Assert.Equal(0, machine.ConsecutiveFailures);
    }

    [Fact]
    public void FailuresInsideTheGracePeriod_AreReportedButNotCounted()
    {
        var machine = Machine(new HealthPolicy { GracePeriod = TimeSpan.FromSeconds(10), ConsecutiveFailures = 1 });

        var inGrace = Assert.IsType<ProbeFailed>(Assert.Single(machine.Observe(Bad, At(9))));
        var afterGrace = machine.Observe(Bad, At(10));

        Assert.True(inGrace.InGracePeriod);
        Assert.Equal(0, inGrace.ConsecutiveFailures);
        Assert.False(Assert.IsType<ProbeFailed>(afterGrace[0]).InGracePeriod);
        Assert.Equal(HealthState.Unhealthy, Assert.IsType<HealthChanged>(afterGrace[1]).Current);
    }

    [Fact]
    public void GracePeriod_EndsAtTheFirstSuccess()
    {
        var machine = Machine(new HealthPolicy { GracePeriod = TimeSpan.FromSeconds(60), ConsecutiveFailures = 1 });
        machine.Observe(Ok, At(1));

        var events = machine.Observe(Bad, At(2));

        Assert.False(Assert.IsType<ProbeFailed>(events[0]).InGracePeriod);
        Assert.Equal((HealthState.Healthy, HealthState.Unhealthy), (((HealthChanged)events[1]).Previous, ((HealthChanged)events[1]).Current));
    }

    [Fact]
    public void NeverHealthyTarget_BecomesUnhealthyAfterGrace()
    {
        var machine = Machine(new HealthPolicy { GracePeriod = TimeSpan.FromSeconds(5), ConsecutiveFailures = 2 });
        machine.Observe(Bad, At(1));
        machine.Observe(Bad, At(6));

        var events = machine.Observe(Bad, At(7));

        Assert.Equal((HealthState.Unknown, HealthState.Unhealthy), (((HealthChanged)events[1]).Previous, ((HealthChanged)events[1]).Current));
    }

    [Fact]
    public void SuccessesBeforeHealthy_AreNeededInARow()
    {
        var machine = Machine(new HealthPolicy { SuccessesBeforeHealthy = 2, ConsecutiveFailures = 1 });

        Assert.Empty(machine.Observe(Ok, At(1)));
        machine.Observe(Bad, At(2));
        Assert.Equal(HealthState.Unhealthy, machine.State);
        Assert.Empty(machine.Observe(Ok, At(3)));
        var changed = Assert.IsType<HealthChanged>(Assert.Single(machine.Observe(Ok, At(4))));

        Assert.True(changed.IsRecovery);
    }

    [Fact]
    public void IgnoredResults_ChangeNothing()
    {
        var machine = Machine(new HealthPolicy { ConsecutiveFailures = 2 });
        machine.Observe(Bad, At(1));

        var events = machine.Observe(ProbeResult.Ignored("HTTP 101"), At(2));

        Assert.Empty(events);
        Assert.Equal(1, machine.ConsecutiveFailures);
        Assert.Equal(HealthState.Unknown, machine.State);
        Assert.Equal(2, machine.Probes);
    }

    [Fact]
    public void FlappingTarget_UnderAThresholdOfTwo_NeverBecomesUnhealthy()
    {
        var machine = Machine(new HealthPolicy { ConsecutiveFailures = 2 });
        var states = new List<HealthState>();
        for (var i = 0; i < 10; i++)
        {
            machine.Observe(i % 2 == 0 ? Ok : Bad, At(i));
            states.Add(machine.State);
        }

        Assert.DoesNotContain(HealthState.Unhealthy, states);
        Assert.Equal(HealthState.Healthy, states[^1]);
    }

    [Theory]
    [InlineData("InitialDelay")]
    [InlineData("Interval")]
    [InlineData("Timeout")]
    [InlineData("GracePeriod")]
    [InlineData("ConsecutiveFailures")]
    [InlineData("SuccessesBeforeHealthy")]
    public void Validate_NamesTheBadSetting(string setting)
    {
        var policy = setting switch
        {
            "InitialDelay" => new HealthPolicy { InitialDelay = TimeSpan.FromSeconds(-1) },
            "Interval" => new HealthPolicy { Interval = TimeSpan.FromSeconds(-1) },
            "Timeout" => new HealthPolicy { Timeout = TimeSpan.Zero },
            "GracePeriod" => new HealthPolicy { GracePeriod = TimeSpan.FromSeconds(-1) },
            "ConsecutiveFailures" => new HealthPolicy { ConsecutiveFailures = 0 },
            _ => new HealthPolicy { SuccessesBeforeHealthy = 0 },
        };

        var ex = Assert.ThrowsAny<ArgumentException>(policy.Validate);

        Assert.Contains("HealthPolicy." + setting, ex.Message, StringComparison.Ordinal);
    }
}
