using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Mesos;

public sealed class MesosHealthCheckOptionsTests(TargetServer server) : IClassFixture<TargetServer>
{
    [Fact]
    public void Defaults_AreUpstreams()
    {
        var options = new MesosHealthCheckOptions { Type = MesosHealthCheckType.Tcp, Port = 80 };

        Assert.Equal(TimeSpan.FromSeconds(15), options.Delay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Interval);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Timeout);
        Assert.Equal(3, options.ConsecutiveFailures);
        Assert.Equal(TimeSpan.FromSeconds(10), options.GracePeriod);
        Assert.Equal("127.0.0.1", options.Host);
    }

    [Fact]
    public void ToPolicy_MapsEveryField()
    {
        var options = new MesosHealthCheckOptions
        {
            Type = MesosHealthCheckType.Tcp,
            Port = 80,
            Delay = TimeSpan.FromSeconds(1),
            Interval = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(3),
            ConsecutiveFailures = 4,
            GracePeriod = TimeSpan.FromSeconds(5),
        };

        var policy = options.ToPolicy();

        Assert.Equal(
            new HealthPolicy
            {
                InitialDelay = TimeSpan.FromSeconds(1),
                Interval = TimeSpan.FromSeconds(2),
                Timeout = TimeSpan.FromSeconds(3),
                ConsecutiveFailures = 4,
                GracePeriod = TimeSpan.FromSeconds(5),
                SuccessesBeforeHealthy = 1,
            },
            policy);
    }

    [Theory]
    [InlineData("http", "127.0.0.1", 8080, "/health", "http://127.0.0.1:8080/health")]
    [InlineData("https", "127.0.0.1", 443, "status", "https://127.0.0.1:443/status")]
    [InlineData("http", "::1", 80, "", "http://[::1]:80/")]
    public void HttpUrl_IsBuiltLikeUpstream(string scheme, string host, int port, string path, string expected)
    {
        var options = new MesosHealthCheckOptions { Type = MesosHealthCheckType.Http, Scheme = scheme, Host = host, Port = port, Path = path };

        Assert.Equal(new Uri(expected), options.BuildUrl());
    }

    [Fact]
    public async Task HttpCheck_FollowsRedirectsAndJudgesTheFinalStatus_LikeCurlL()
    {
        var toOk = Http("/redirect").CreateProbe();
        var toFail = Http("/redirect-to-fail").CreateProbe();

        Assert.True((await toOk.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
        Assert.Equal(500, (await toFail.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).StatusCode);
    }

    [Fact]
    public async Task HttpsCheck_SkipsCertificateValidation_LikeCurlK()
    {
        var probe = (Http("/ok") with { Scheme = "https", Port = server.Https.Port }).CreateProbe();

        Assert.True((await probe.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
    }

    [Fact]
    public async Task HttpCheck_Accepts200To399()
    {
        Assert.True((await Http("/status/399").CreateProbe().ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
        Assert.False((await Http("/status/400").CreateProbe().ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
    }

    [Fact]
    public async Task TcpAndCommandChecks_CreateTheirProbes()
    {
        var tcp = new MesosHealthCheckOptions { Type = MesosHealthCheckType.Tcp, Port = server.Port }.CreateProbe();
        var command = new MesosHealthCheckOptions
        {
            Type = MesosHealthCheckType.Command,
            Command = new CommandProbeOptions { Command = "exit 3" },
        }.CreateProbe();

        Assert.True((await tcp.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
        Assert.Equal(3, (await command.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).ExitCode);
    }

    [Theory]
    [InlineData(MesosHealthCheckType.Http, 0, "MesosHealthCheckOptions.Port")]
    [InlineData(MesosHealthCheckType.Tcp, 70000, "MesosHealthCheckOptions.Port")]
    [InlineData(MesosHealthCheckType.Command, 0, "MesosHealthCheckOptions.Command")]
    public void Validate_NamesTheBadSetting(MesosHealthCheckType type, int port, string setting)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(new MesosHealthCheckOptions { Type = type, Port = port }.Validate);

        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChecksThePolicyFieldsToo()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(
            new MesosHealthCheckOptions { Type = MesosHealthCheckType.Tcp, Port = 1, ConsecutiveFailures = 0 }.Validate);

        Assert.Contains("ConsecutiveFailures", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithUpstreamDefaults_TheFirstCountedFailureComesAfterTheDelay_AndTheThirdKills()
    {
        // Delay (15 s) outlasts grace (10 s), so with upstream defaults every failure counts.
        var clock = new ManualTimeProvider();
        var probe = new ScriptedProbe();
        var events = new EventLog();
        var options = new MesosHealthCheckOptions { Type = MesosHealthCheckType.Tcp, Port = 1 };
        await using var monitor = HealthMonitor.Start(new HealthTarget("task", probe, options.ToPolicy()), events.OnEventAsync, clock);

        await clock.WaitForTimersAsync();
        clock.Advance(options.Delay);
        for (var i = 1; i <= 3; i++)
        {
            (await probe.NextCallAsync()).Fail();
            var failed = await events.NextAsync<ProbeFailed>();
            Assert.False(failed.InGracePeriod);
            Assert.Equal(i, failed.ConsecutiveFailures);
            if (i < 3)
            {
                await clock.WaitForTimersAsync();
                clock.Advance(options.Interval);
            }
        }

        Assert.Equal(HealthState.Unhealthy, (await events.NextAsync<HealthChanged>()).Current);
    }

    private MesosHealthCheckOptions Http(string path) =>
        new() { Type = MesosHealthCheckType.Http, Port = server.Port, Path = path };
}
