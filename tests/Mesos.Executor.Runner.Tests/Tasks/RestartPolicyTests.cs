using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Tasks;

namespace Mesos.Executor.Runner.Tests.Tasks;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData("never", 1, false)]
    [InlineData("on-failure", 1, true)]
    [InlineData("on-failure", 0, false)]
    [InlineData("always", 0, true)]
    public void ShouldRestart_ByPolicyAndExitCode(string policy, int exitCode, bool expected)
    {
        var json = $$$"""{"processes": [{"name": "p", "command": "x", "restart": {"policy": "{{{policy}}}"}}]}""";
        var spec = TaskPayloadParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected, spec.Processes[0].Restart.ShouldRestart(ProcessExitStatus.Exited(exitCode), restarts: 100));
    }

    [Fact]
    public void ShouldRestart_Signal_IsAFailure() =>
        Assert.True(new RestartPolicy { Kind = RestartKind.OnFailure }.ShouldRestart(ProcessExitStatus.Signaled(9), 0));

    [Fact]
    public void ShouldRestart_BudgetUsedUp_False()
    {
        var policy = new RestartPolicy { Kind = RestartKind.Always, MaxRestarts = 2 };

        Assert.True(policy.ShouldRestart(ProcessExitStatus.Exited(0), 1));
        Assert.False(policy.ShouldRestart(ProcessExitStatus.Exited(0), 2));
    }

    [Fact]
    public void Delay_GrowsByFactorUpToMax()
    {
        var policy = new RestartPolicy { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5), BackoffFactor = 2 };

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(0, 5).Select(n => policy.Delay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.Delay(10_000));
    }

    [Theory]
    [InlineData(9, "signal SIGKILL (9)")]
    [InlineData(15, "signal SIGTERM (15)")]
    [InlineData(36, "signal SIGRTMIN+2 (36)")]
    public void ExitStatus_SignalDescription(int signal, string expected) =>
        Assert.Equal(expected, ProcessExitStatus.Signaled(signal).ToString());
}
