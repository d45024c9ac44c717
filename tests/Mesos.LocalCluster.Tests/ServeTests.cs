using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.LocalCluster.Serve;
using Mesos.Protocol.RecordIO;

namespace Mesos.LocalCluster.Tests;

/// <summary>
/// <c>mesos-local serve</c> as a framework in another language sees it: plain HTTP and JSON, no Mesos library on the
/// client side (RecordIO framing aside). The cluster is laid out exactly as <c>serve</c> does, on an ephemeral port.
/// </summary>
public sealed class ServeTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_CommandTaskFromRawHttpScheduler_Finishes_AndStateListsIt()
    {
        var executor = await PublishedExecutorCache.GetAsync().WaitAsync(TimeSpan.FromMinutes(11));
        var work = Path.Combine(Path.GetTempPath(), "mesos-serve-test-" + Guid.NewGuid().ToString("N")[..8]);
        var options = CommandLine.Parse(["serve", "--port", "0", "--work-dir", work, "--executor-path", executor]);
        try
        {
            var cluster = await ServeRunner.StartAsync(options, executor).WaitAsync(Step);
            await using (cluster)
            {
                var master = cluster.MasterAddress;
                using var http = new HttpClient { BaseAddress = master, Timeout = Timeout.InfiniteTimeSpan };
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

                // SUBSCRIBE: the answer is a RecordIO stream of JSON events; Mesos-Stream-Id goes on every other call.
                using var subscribe = Json("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"test","name":"serve-test"}}}""");
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scheduler") { Content = subscribe };
                request.Headers.Accept.ParseAdd("application/json");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var streamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
                await using var reader = RecordIOReader.Create(await response.Content.ReadAsStreamAsync(deadline.Token));

                string? frameworkId = null;
                var launched = false;
                var states = new List<string>();
                while (!states.Contains("TASK_FINISHED"))
                {
                    var record = await reader.ReadRecordAsync(deadline.Token) ?? throw new InvalidOperationException("The event stream ended");
                    var ev = JsonNode.Parse(record)!;
                    switch ((string?)ev["type"])
                    {
                        case "SUBSCRIBED":
                            frameworkId = (string?)ev["subscribed"]!["framework_id"]!["value"];
                            break;
                        case "OFFERS" when !launched:
                            var offer = ev["offers"]!["offers"]![0]!;
                            var accept = $$$"""
                                {"type":"ACCEPT","framework_id":{"value":"{{{frameworkId}}}"},"accept":{
                                  "offer_ids":[{"value":"{{{offer["id"]!["value"]}}}"}],
                                  "operations":[{"type":"LAUNCH","launch":{"task_infos":[{
                                    "name":"hi","task_id":{"value":"hi-1"},"agent_id":{"value":"{{{offer["agent_id"]!["value"]}}}"},
                                    "command":{"value":"echo hi"},
                                    "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},
                                                 {"name":"mem","type":"SCALAR","scalar":{"value":32}}]}]}}]}}
                                """;
                            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, accept, streamId, deadline.Token)).StatusCode);
                            launched = true;
                            break;
                        case "UPDATE":
                            var status = ev["update"]!["status"]!;
                            states.Add((string)status["state"]!);
                            if (status["uuid"] is { } uuid)
                            {
                                var ack = $$$"""
                                    {"type":"ACKNOWLEDGE","framework_id":{"value":"{{{frameworkId}}}"},"acknowledge":{
                                      "agent_id":{"value":"{{{status["agent_id"]!["value"]}}}"},"task_id":{"value":"hi-1"},"uuid":"{{{uuid}}}"}}
                                    """;
                                Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, ack, streamId, deadline.Token)).StatusCode);
                            }

                            break;
                    }
                }

                Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], states.Where(s => s != "TASK_STAGING"));
                var stdout = Directory.EnumerateFiles(work, "stdout", SearchOption.AllDirectories)
                    .Where(f => f.Contains("/executors/hi-1/", StringComparison.Ordinal))
                    .Select(File.ReadAllText).ToArray();
                Assert.Contains(stdout, s => s.Contains("hi", StringComparison.Ordinal));

                // The read-only endpoints.
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health", deadline.Token)).StatusCode);
                var version = JsonNode.Parse(await http.GetStringAsync("version", deadline.Token))!;
                Assert.Equal("1.12.0", (string?)version["version"]);
                foreach (var path in new[] { "state", "master/state" })
                {
                    var state = JsonNode.Parse(await http.GetStringAsync(path, deadline.Token))!;
                    Assert.Equal($"master@127.0.0.1:{master.Port}", (string?)state["leader"]);
                    Assert.Equal(master.Port, (int)state["leader_info"]!["port"]!);
                    var slave = Assert.Single(state["slaves"]!.AsArray())!;
                    Assert.Equal(cluster.Agents[0].Id, (string?)slave["id"]);
                    Assert.Equal(4.0, (double)slave["resources"]!["cpus"]!);
                    var framework = Assert.Single(state["frameworks"]!.AsArray())!;
                    Assert.Equal(frameworkId, (string?)framework["id"]);
                    var task = Assert.Single(framework["completed_tasks"]!.AsArray())!;
                    Assert.Equal("hi-1", (string?)task["id"]);
                    Assert.Equal("TASK_FINISHED", (string?)task["state"]);
                    Assert.Equal(cluster.Agents[0].Id, (string?)task["slave_id"]);
                }

                Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, $$$"""{"type":"TEARDOWN","framework_id":{"value":"{{{frameworkId}}}"}}""", streamId, deadline.Token)).StatusCode);
                await cluster.Launcher.WaitForExecutorsToExitAsync(Step);
            }

            Assert.Empty(DemoEndToEndTests.ProcessesUnder(work));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Serve_AsAProcess_PrintsWhereItListens_AnswersHealth_AndStopsOnSigterm()
    {
        var executor = await PublishedExecutorCache.GetAsync().WaitAsync(TimeSpan.FromMinutes(11));
        var dll = Path.Combine(AppContext.BaseDirectory, "mesos-local.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { dll, "serve", "--port", "0", "--executor-path", executor })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        try
        {
            using var deadline = new CancellationTokenSource(Step);
            Uri? master = null;
            while (master is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("mesos-local serve exited:\n" + output);
                output.AppendLine(line);
                var at = line.IndexOf("master      ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    master = new Uri(line[(at + 12)..].Split(' ')[0]);
                }
            }

            var rest = process.StandardOutput.ReadToEndAsync(deadline.Token);
            using var http = new HttpClient { BaseAddress = master };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health", deadline.Token)).StatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }

            await process.WaitForExitAsync(deadline.Token);
            output.Append(await rest);
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{output}");
            Assert.Contains("stopped", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    // Exactly "application/json": Mesos compares the Content-Type as a whole, so a "; charset=utf-8" is a 415.
    private static ByteArrayContent Json(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string json, string streamId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scheduler") { Content = Json(json) };
        request.Headers.Add("Mesos-Stream-Id", streamId);
        var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)} for {json}");
        }

        return response;
    }
}
