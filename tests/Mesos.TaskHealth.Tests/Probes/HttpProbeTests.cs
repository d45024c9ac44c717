using System.Text.RegularExpressions;
using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Probes;

public sealed class HttpProbeTests(TargetServer server) : IClassFixture<TargetServer>
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    private Task<ProbeResult> ProbeAsync(HttpProbeOptions options, TimeSpan? timeout = null) =>
        HealthProbes.Http(options).ProbeAsync(timeout ?? TimeSpan.FromSeconds(10)).Within();

    private HttpProbeOptions At(string path) => new() { Url = server.Url(path) };

    [Fact]
    public async Task Status200_IsHealthy()
    {
        var result = await ProbeAsync(At("/ok"));

        Assert.Equal(ProbeOutcome.Healthy, result.Outcome);
        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task Status500_IsUnhealthy_WithTheStatusCodeAsReason()
    {
        var result = await ProbeAsync(At("/fail"));

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal(ProbeFailureKind.StatusCode, result.Failure);
        Assert.Equal(500, result.StatusCode);
        Assert.Contains("500", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status302_IsHealthyUnderMesosDefault_WithoutFollowing()
    {
        var result = await ProbeAsync(At("/redirect"));

        Assert.True(result.IsHealthy);
        Assert.Equal(302, result.StatusCode);
    }

    [Fact]
    public async Task Status302_FailsWhenOnly200IsAccepted()
    {
        var result = await ProbeAsync(At("/redirect") with { AcceptedStatusCodes = StatusCodeSet.SeedDefault });

        Assert.Equal(ProbeFailureKind.StatusCode, result.Failure);
        Assert.Equal(302, result.StatusCode);
    }

    [Fact]
    public async Task FollowRedirects_JudgesTheFinalAnswer()
    {
        var toOk = await ProbeAsync(At("/redirect") with { FollowRedirects = true, AcceptedStatusCodes = StatusCodeSet.SeedDefault });
        var toFail = await ProbeAsync(At("/redirect-to-fail") with { FollowRedirects = true });

        Assert.True(toOk.IsHealthy);
        Assert.Equal(200, toOk.StatusCode);
        Assert.Equal(ProbeFailureKind.StatusCode, toFail.Failure);
        Assert.Equal(500, toFail.StatusCode);
    }

    [Fact]
    public async Task StatusCodeRangesAndSets_AreHonoured()
    {
        var teapot = await ProbeAsync(At("/status/418") with { AcceptedStatusCodes = StatusCodeSet.Parse("200-299,418") });
        var created = await ProbeAsync(At("/status/201") with { AcceptedStatusCodes = StatusCodeSet.Parse("200-299,418") });
        var notFound = await ProbeAsync(At("/status/404") with { AcceptedStatusCodes = StatusCodeSet.Parse("200-299,418") });

        Assert.True(teapot.IsHealthy);
        Assert.True(created.IsHealthy);
        Assert.Equal(ProbeFailureKind.StatusCode, notFound.Failure);
    }

    [Fact]
    public async Task SlowAnswerPastTheTimeout_IsATimeout()
    {
        var result = await ProbeAsync(At("/slow"), ShortTimeout);

        Assert.Equal(ProbeFailureKind.Timeout, result.Failure);
    }

    [Fact]
    public async Task HangingTarget_IsATimeout()
    {
        var result = await ProbeAsync(At("/hang"), ShortTimeout);

        Assert.Equal(ProbeFailureKind.Timeout, result.Failure);
        Assert.Contains("no answer within", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionClosedByTheTarget_IsConnectionClosed()
    {
        var result = await ProbeAsync(At("/close"));

        Assert.Equal(ProbeOutcome.Unhealthy, result.Outcome);
        Assert.Equal(ProbeFailureKind.ConnectionClosed, result.Failure);
    }

    [Fact]
    public async Task NothingListening_IsConnectionRefused()
    {
        var result = await ProbeAsync(new HttpProbeOptions { Url = new Uri($"http://127.0.0.1:{Ports.Closed()}/") });

        Assert.Equal(ProbeFailureKind.ConnectionRefused, result.Failure);
    }

    [Fact]
    public async Task BodyFailingTheCheck_IsBodyMismatch_EvenWithStatus200()
    {
        var result = await ProbeAsync(At("/json-down") with { BodyCheck = BodyCheck.JsonValue("status", "up") });

        Assert.Equal(ProbeFailureKind.BodyMismatch, result.Failure);
        Assert.Equal(200, result.StatusCode);
        Assert.Contains("'down'", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "up", true)]
    [InlineData("checks.db", "true", true)]
    [InlineData("checks.count", "3", true)]
    [InlineData("items[0].name", "a", true)]
    [InlineData("checks.db", "false", false)]
    [InlineData("missing.path", "x", false)]
    [InlineData("items[3].name", "a", false)]
    public async Task JsonValueCheck_ComparesTheValueAtThePath(string path, string expected, bool healthy)
    {
        var result = await ProbeAsync(At("/json-up") with { BodyCheck = BodyCheck.JsonValue(path, expected) });

        Assert.Equal(healthy, result.IsHealthy);
        if (!healthy)
        {
            Assert.Equal(ProbeFailureKind.BodyMismatch, result.Failure);
        }
    }

    [Fact]
    public async Task SubstringRegexAndPredicateChecks_SeeTheBody()
    {
        var contains = await ProbeAsync(At("/ok") with { BodyCheck = BodyCheck.Contains("ok") });
        var notContains = await ProbeAsync(At("/ok") with { BodyCheck = BodyCheck.Contains("healthy") });
        var regex = await ProbeAsync(At("/json-up") with { BodyCheck = BodyCheck.Matches(new Regex("\"status\":\\s*\"up\"")) });
        string? seen = null;
        var predicate = await ProbeAsync(At("/ok") with { BodyCheck = BodyCheck.Predicate(body => { seen = body; return false; }) });

        Assert.True(contains.IsHealthy);
        Assert.Equal(ProbeFailureKind.BodyMismatch, notContains.Failure);
        Assert.True(regex.IsHealthy);
        Assert.Equal(ProbeFailureKind.BodyMismatch, predicate.Failure);
        Assert.Equal("ok", seen);
    }

    [Fact]
    public async Task BodyCheck_IsNotRunWhenTheStatusFails()
    {
        var called = false;
        var result = await ProbeAsync(At("/fail") with { BodyCheck = BodyCheck.Predicate(_ => called = true) });

        Assert.Equal(ProbeFailureKind.StatusCode, result.Failure);
        Assert.False(called);
    }

    [Fact]
    public async Task BodyLargerThanTheLimit_FailsTheBodyCheck()
    {
        var result = await ProbeAsync(At("/big") with { BodyCheck = BodyCheck.Contains("x"), MaxBodyBytes = 1024 });

        Assert.Equal(ProbeFailureKind.BodyMismatch, result.Failure);
        Assert.Contains("larger than 1024", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MethodAndHeaders_AreSent()
    {
        var withHeader = await ProbeAsync(At("/headers") with { Headers = new Dictionary<string, string> { ["X-Health"] = "yes" } });
        var withoutHeader = await ProbeAsync(At("/headers"));
        var head = await ProbeAsync(At("/head-only") with { Method = HttpMethod.Head });
        var get = await ProbeAsync(At("/head-only"));

        Assert.True(withHeader.IsHealthy);
        Assert.Equal(400, withoutHeader.StatusCode);
        Assert.True(head.IsHealthy);
        Assert.Equal(405, get.StatusCode);
    }

    [Fact]
    public async Task FlappingTarget_AlternatesBetweenHealthyAndUnhealthy()
    {
        var probe = HealthProbes.Http(At("/flap"));
        var outcomes = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await probe.ProbeAsync(TimeSpan.FromSeconds(10)).Within()).IsHealthy);
        }

        Assert.Equal(2, outcomes.Count(o => o));
        Assert.All(outcomes.Zip(outcomes.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task Https_WithUntrustedCertificate_FailsUnlessCertificateCheckIsOff()
    {
        var url = new Uri(server.Https, "/ok");
        var validating = await ProbeAsync(new HttpProbeOptions { Url = url });
        var insecure = await ProbeAsync(new HttpProbeOptions { Url = url, AcceptAnyServerCertificate = true });

        Assert.Equal(ProbeFailureKind.Network, validating.Failure);
        Assert.True(insecure.IsHealthy);
    }

    [Theory]
    [InlineData(101, true, ProbeOutcome.Ignored)]
    [InlineData(101, false, ProbeOutcome.Unhealthy)]
    [InlineData(200, true, null)]
    [InlineData(503, true, ProbeOutcome.Unhealthy)]
    public void InformationalStatus_IsIgnoredOnlyWhenAsked(int code, bool ignore, ProbeOutcome? expected)
    {
        var verdict = HttpProbe.JudgeStatus(code, new Uri("http://127.0.0.1/"), StatusCodeSet.MesosDefault, ignore);

        Assert.Equal(expected, verdict?.Outcome);
    }

    [Fact]
    public void Options_NameTheBadSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => HealthProbes.Http(new HttpProbeOptions { Url = new Uri("ftp://x/") }));

        Assert.Contains("HttpProbeOptions.Url", ex.Message, StringComparison.Ordinal);
    }
}
