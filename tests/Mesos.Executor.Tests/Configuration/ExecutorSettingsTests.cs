using System.Text.Json;
using Mesos.Executor.Configuration;

namespace Mesos.Executor.Tests.Configuration;

public sealed class ExecutorSettingsTests
{
    public static TheoryData<string> RecordedEnvironments => new(
        Directory.GetFiles(Path.Combine(RepoPaths.Recordings, "executor"), "*.env.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(RecordedEnvironments))]
    public void FromEnvironment_RecordedAgentEnvironment_ReadsEveryVariable(string file)
    {
        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(RepoPaths.Recordings, "executor", file)))!;

        var settings = ExecutorSettings.FromEnvironment(environment);

        Assert.Equal(environment["MESOS_FRAMEWORK_ID"], settings.FrameworkId);
        Assert.Equal(environment["MESOS_EXECUTOR_ID"], settings.ExecutorId);
        Assert.Equal(new Uri($"http://{environment["MESOS_AGENT_ENDPOINT"]}/api/v1/executor"), settings.AgentEndpoint);
        Assert.Equal(environment["MESOS_SANDBOX"], settings.SandboxDirectory);
        Assert.Equal(environment["MESOS_SLAVE_ID"], settings.AgentId);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ShutdownGracePeriod);
        Assert.Equal(environment["MESOS_CHECKPOINT"] == "1", settings.Checkpoint);
        if (settings.Checkpoint)
        {
            Assert.Equal(TimeSpan.FromMinutes(15), settings.RecoveryTimeout);
            Assert.Equal(TimeSpan.FromSeconds(2), settings.SubscriptionBackoffMax);
        }

        Assert.Null(settings.AuthenticationToken);
        Assert.Null(settings.DomainSocket);
    }

    [Theory]
    [InlineData("5secs", 5_000)]
    [InlineData("15mins", 900_000)]
    [InlineData("250ms", 250)]
    [InlineData("2hrs", 7_200_000)]
    [InlineData("1days", 86_400_000)]
    [InlineData("1weeks", 604_800_000)]
    [InlineData("0.5secs", 500)]
    [InlineData("100us", 0.1)]
    [InlineData("10ns", 0.00001)]
    public void MesosDuration_Parse_ReadsMesosUnits(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond)), MesosDuration.Parse(text));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5s")]
    [InlineData("secs")]
    [InlineData("-5secs")]
    [InlineData("5 secs")]
    [InlineData("")]
    public void MesosDuration_TryParse_RejectsOtherText(string text)
    {
        Assert.False(MesosDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void FromEnvironment_Empty_ListsEveryMissingVariableInOneMessage()
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => ExecutorSettings.FromEnvironment(new Dictionary<string, string>()));

        Assert.Equal(4, ex.Problems.Count);
        foreach (var name in new[] { "MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID", "MESOS_DIRECTORY", "MESOS_AGENT_ENDPOINT" })
        {
            Assert.Contains(name + " is not set", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromEnvironment_MalformedValues_NamesEachVariableAndValue()
    {
        var environment = Valid();
        environment["MESOS_CHECKPOINT"] = "yes";
        environment["MESOS_RECOVERY_TIMEOUT"] = "15 parsecs";
        environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "2";
        environment["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = "5sec";
        environment["MESOS_AGENT_ENDPOINT"] = "not an endpoint";

        var ex = Assert.Throws<ExecutorConfigurationException>(() => ExecutorSettings.FromEnvironment(environment));

        Assert.Equal(5, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("MESOS_CHECKPOINT is 'yes'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MESOS_RECOVERY_TIMEOUT '15 parsecs'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MESOS_SUBSCRIPTION_BACKOFF_MAX '2' has no unit", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD '5sec' has the unknown unit 'sec'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("MESOS_AGENT_ENDPOINT is 'not an endpoint'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironment_Defaults_AreUpstreams()
    {
        var settings = ExecutorSettings.FromEnvironment(Valid());

        Assert.False(settings.Checkpoint);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.RecoveryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.SubscriptionBackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ShutdownGracePeriod);
        Assert.Equal("/sandbox", settings.SandboxDirectory);
    }

    [Fact]
    public void FromEnvironment_TokenAndSocket_AreReadButTheTokenIsNeverPrinted()
    {
        var environment = Valid();
        environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = "s3cret-token";
        environment["MESOS_DOMAIN_SOCKET"] = "/run/agent.sock";

        var settings = ExecutorSettings.FromEnvironment(environment);

        Assert.Equal("s3cret-token", settings.AuthenticationToken);
        Assert.Equal("/run/agent.sock", settings.DomainSocket);
        Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToEnvironment_RoundTrips()
    {
        var environment = Valid();
        environment["MESOS_CHECKPOINT"] = "1";
        environment["MESOS_RECOVERY_TIMEOUT"] = "250ms";
        var settings = ExecutorSettings.FromEnvironment(environment);

        Assert.Equal(settings, ExecutorSettings.FromEnvironment(settings.ToEnvironment()));
    }

    private static Dictionary<string, string> Valid() => new()
    {
        ["MESOS_FRAMEWORK_ID"] = "fw",
        ["MESOS_EXECUTOR_ID"] = "ex",
        ["MESOS_DIRECTORY"] = "/sandbox",
        ["MESOS_AGENT_ENDPOINT"] = "127.0.0.1:5051",
    };
}
