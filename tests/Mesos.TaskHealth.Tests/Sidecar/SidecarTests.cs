using System.Net;
using System.Text.Json;
using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Sidecar;

public sealed class SidecarTests(TargetServer server) : IClassFixture<TargetServer>, IDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Help_PrintsUsageAndExitsZero()
    {
        await using var sidecar = SidecarProcess.Start("--help");

        var first = await sidecar.NextLineAsync();

        Assert.StartsWith("mesos-health-sidecar:", first, StringComparison.Ordinal);
        Assert.Equal(0, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task BadUsage_ExitsTwo_NamingTheSetting()
    {
        await using var sidecar = SidecarProcess.Start("--http", "not-a-url");

        Assert.Equal(2, await sidecar.WaitForExitAsync());
        Assert.Contains("targets[0].http.url", sidecar.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthyTarget_PrintsOneTransitionLine_ServesStatus200_AndStopsOnSigterm()
    {
        await using var sidecar = SidecarProcess.Start(
            "--http", server.Url("/ok").ToString(), "--name", "web", "--interval", "100ms", "--timeout", "5s");

        var statusUrl = await ListeningUrlAsync(sidecar);
        using var transition = JsonDocument.Parse((await sidecar.NextLineAsync())!);
        using var response = await _client.GetAsync(statusUrl).Within();
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync().Within());
        sidecar.Terminate();

        Assert.Equal("transition", transition.RootElement.GetProperty("type").GetString());
        Assert.Equal("web", transition.RootElement.GetProperty("target").GetString());
        Assert.Equal("unknown", transition.RootElement.GetProperty("from").GetString());
        Assert.Equal("healthy", transition.RootElement.GetProperty("to").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", status.RootElement.GetProperty("status").GetString());
        var target = Assert.Single(status.RootElement.GetProperty("targets").EnumerateArray());
        Assert.Equal("web", target.GetProperty("name").GetString());
        Assert.Equal(200, target.GetProperty("lastResult").GetProperty("statusCode").GetInt32());
        Assert.Equal(0, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task UnhealthyTarget_WithExitOnUnhealthy_ExitsOne()
    {
        await using var sidecar = SidecarProcess.Start(
            "--http", server.Url("/fail").ToString(), "--interval", "50ms", "--failures", "2", "--exit-on-unhealthy", "--no-status");

        using var transition = JsonDocument.Parse((await sidecar.NextLineAsync())!);

        Assert.Equal("unhealthy", transition.RootElement.GetProperty("to").GetString());
        Assert.Equal(2, transition.RootElement.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal("statuscode", transition.RootElement.GetProperty("failure").GetString());
        Assert.Equal(1, await sidecar.WaitForExitAsync());
    }

    [Fact]
    public async Task ConfigFile_WithOneFailingTarget_ServesStatus503WithPerTargetDetail()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sidecar-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              // comments and trailing commas are allowed
              "targets": [
                { "name": "db", "tcp": { "host": "127.0.0.1", "port": {{server.Port}} },
                  "policy": { "interval": "100ms", "consecutiveFailures": 1 } },
                { "name": "api", "http": { "url": "{{server.Url("/json-down")}}", "bodyJson": { "path": "status", "value": "up" } },
                  "policy": { "interval": "100ms", "timeout": "5s", "consecutiveFailures": 1 } },
              ],
            }
            """);
        try
        {
            await using var sidecar = SidecarProcess.Start("--config", file);
            var statusUrl = await ListeningUrlAsync(sidecar);
            var seen = new Dictionary<string, string>();
            while (seen.Count < 2)
            {
                using var line = JsonDocument.Parse((await sidecar.NextLineAsync())!);
                seen[line.RootElement.GetProperty("target").GetString()!] = line.RootElement.GetProperty("to").GetString()!;
            }

            using var response = await _client.GetAsync(statusUrl).Within();
            using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync().Within());
            sidecar.Terminate();

            Assert.Equal("healthy", seen["db"]);
            Assert.Equal("unhealthy", seen["api"]);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var api = status.RootElement.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "api");
            Assert.Equal("bodymismatch", api.GetProperty("lastResult").GetProperty("failure").GetString());
            Assert.Equal(0, await sidecar.WaitForExitAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Uri> ListeningUrlAsync(SidecarProcess sidecar)
    {
        using var line = JsonDocument.Parse((await sidecar.NextLineAsync())!);
        Assert.Equal("listening", line.RootElement.GetProperty("type").GetString());
        var url = new Uri(line.RootElement.GetProperty("url").GetString()!);
        Assert.Equal("127.0.0.1", url.Host);
        return url;
    }
}
