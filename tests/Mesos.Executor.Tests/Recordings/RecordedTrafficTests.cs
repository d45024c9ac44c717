using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using Mesos.Executor.Hosting;
using Mesos.Executor.Tests.Support;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Agent;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Event = Mesos.V1.Executor.Event;

namespace Mesos.Executor.Tests.Recordings;

/// <summary>Checks against traffic recorded from a real Mesos 1.12 agent: where we disagree, we are wrong.</summary>
public sealed class RecordedTrafficTests
{
    private static string Dir => Path.Combine(RepoPaths.Recordings, "executor");

    public static TheoryData<string> Scenarios => new(
        Directory.GetFiles(Dir, "*.events.recordio").Select(f => Path.GetFileName(f)[..^".events.recordio".Length]));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task RecordedEventStream_EveryEventDecodesThroughTheClient(string scenario)
    {
        var (encoding, expected) = await ReadRecordingAsync(scenario);
        await using var server = await ServeRecordingAsync(scenario, encoding);
        await using var client = MesosExecutorClient.Create(SettingsFor(scenario, server, encoding));

        var received = new List<ExecutorEvent>();
        await foreach (var e in client.ReadEventsAsync().WithCancellation(new CancellationTokenSource(TestTimeouts.Default).Token))
        {
            received.Add(e);
        }

        // A recording without SHUTDOWN ends with the stream: without checkpointing that is a made-up SHUTDOWN.
        var fromAgent = received.Where(e => e is not ShutdownEvent { FromAgent: false }).ToList();
        Assert.Equal(expected.Select(e => e.Type), fromAgent.Select(e => e.Raw.Type));
        Assert.All(fromAgent.Zip(expected), pair => Assert.Equal(pair.Second, pair.First.Raw));
        if (expected[^1].Type != Event.Types.Type.Shutdown)
        {
            Assert.Equal(ShutdownCause.AgentLost, Assert.IsType<ShutdownEvent>(received[^1]).Cause);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task RecordedEventStream_EveryEventReachesItsHandler(string scenario)
    {
        var (encoding, expected) = await ReadRecordingAsync(scenario);
        await using var server = await ServeRecordingAsync(scenario, encoding);
        var handler = new CountingHandler();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMesosExecutor(_ => handler, new MesosExecutorOptions
        {
            Settings = SettingsFor(scenario, server, encoding),
            SetProcessExitCode = false,
        });
        using var host = builder.Build();

        await host.StartAsync().Bounded();
        var exitCode = await host.Services.GetRequiredService<MesosExecutorLifetime>().Completion.Bounded();
        await host.StopAsync().Bounded();

        var expectedCounts = expected.GroupBy(e => e.Type.ToString()).ToDictionary(g => g.Key, g => g.Count());
        expectedCounts.TryAdd("Shutdown", 1);
        Assert.Equal(expectedCounts.OrderBy(p => p.Key), handler.Counts.OrderBy(p => p.Key));
        Assert.Equal(expected[^1].Type == Event.Types.Type.Shutdown ? 0 : 1, exitCode);
    }


    [Fact]
    public async Task FakeAgent_AnswersEveryRecordedCallLikeTheRealAgent()
    {
        var compared = 0;
        foreach (var file in Directory.GetFiles(Dir, "*.calls.jsonl"))
        {
            var scenario = Path.GetFileName(file)[..^".calls.jsonl".Length];
            var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Dir, scenario + ".env.json")))!;
            await using var agent = await FakeAgent.StartAsync(new FakeAgentOptions
            {
                FrameworkId = environment["MESOS_FRAMEWORK_ID"],
                ExecutorId = environment["MESOS_EXECUTOR_ID"],
                Acknowledgements = AcknowledgementPolicy.Never,
            }).Bounded();
            using var http = new HttpClient { Timeout = TestTimeouts.Default };
            var streams = new List<HttpResponseMessage>();
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    using var json = JsonDocument.Parse(line);
                    var root = json.RootElement;
                    var label = root.GetProperty("label").GetString()!;
                    if (!root.TryGetProperty("status", out var statusElement))
                    {
                        continue; // a refused connection
                    }

                    var status = statusElement.GetInt32();
                    var headers = root.TryGetProperty("request_headers", out var h)
                        ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                        : new Dictionary<string, string> { ["Content-Type"] = MesosMediaTypes.Json, ["Accept"] = MesosMediaTypes.Json };
                    if (!root.TryGetProperty("request_body", out var bodyElement))
                    {
                        // The recorder kept no body for its first SUBSCRIBE: send what it sent.
                        var accept = root.GetProperty("response_headers").GetProperty("Content-Type").GetString()!;
                        headers = new Dictionary<string, string> { ["Content-Type"] = MesosMediaTypes.Json, ["Accept"] = accept };
                        bodyElement = JsonDocument.Parse(JsonSerializer.Serialize(
                            $"{{\"executor_id\":{{\"value\":\"{agent.Options.ExecutorId}\"}},\"framework_id\":{{\"value\":\"{agent.Options.FrameworkId}\"}},\"type\":\"SUBSCRIBE\",\"subscribe\":{{}}}}")).RootElement;
                    }

                    var body = headers["Content-Type"] == MesosMediaTypes.Protobuf
                        ? Convert.FromBase64String(bodyElement.GetString()!)
                        : Encoding.UTF8.GetBytes(bodyElement.GetString()!);
                    using var request = new HttpRequestMessage(HttpMethod.Post, agent.Endpoint) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers["Content-Type"]);
                    request.Headers.TryAddWithoutValidation("Accept", headers["Accept"]);
                    var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Bounded();

                    Assert.True(status == (int)response.StatusCode, $"{scenario} '{label}': expected {status}, got {(int)response.StatusCode}");
                    if (status == 200)
                    {
                        Assert.Equal(root.GetProperty("response_headers").GetProperty("Content-Type").GetString(), response.Content.Headers.ContentType?.MediaType);
                        streams.Add(response);
                    }
                    else
                    {
                        var text = await response.Content.ReadAsStringAsync().Bounded();
                        Assert.True(root.GetProperty("response_body").GetString() == text, $"{scenario} '{label}': body '{text}'");
                        response.Dispose();
                    }

                    compared++;
                }
            }
            finally
            {
                streams.ForEach(s => s.Dispose());
            }
        }

        Assert.True(compared >= 50, $"only {compared} recorded calls compared");
    }

    private static async Task<(MesosEncoding Encoding, List<Event> Events)> ReadRecordingAsync(string scenario)
    {
        var encoding = scenario.StartsWith("protobuf", StringComparison.Ordinal) ? MesosEncoding.Protobuf : MesosEncoding.Json;
        await using var reader = RecordIOReader.Create(File.OpenRead(Path.Combine(Dir, scenario + ".events.recordio")));
        var events = new List<Event>();
        while (await reader.ReadRecordAsync().Bounded() is { } record)
        {
            events.Add(MesosCodec.Decode<Event>(record, encoding));
        }

        Assert.NotEmpty(events);
        return (encoding, events);
    }

    /// <summary>Answers SUBSCRIBE with the recorded bytes in 7-byte chunks (records split and joined), then ends.</summary>
    private static Task<LoopbackHttpServer> ServeRecordingAsync(string scenario, MesosEncoding encoding)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, scenario + ".events.recordio"));
        return LoopbackHttpServer.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = MesosMediaTypes.Of(encoding);
            for (var offset = 0; offset < bytes.Length; offset += 7)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(7, bytes.Length - offset)));
                await context.Response.Body.FlushAsync();
            }
        }).Bounded();
    }

    private static ExecutorSettings SettingsFor(string scenario, LoopbackHttpServer server, MesosEncoding encoding)
    {
        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Dir, scenario + ".env.json")))!;
        environment["MESOS_AGENT_ENDPOINT"] = $"127.0.0.1:{server.Port}";
        environment["MESOS_CHECKPOINT"] = "0";
        return ExecutorSettings.FromEnvironment(environment) with { Encoding = encoding };
    }

    private sealed class CountingHandler : IExecutorHandler
    {
        private readonly Dictionary<string, int> _counts = [];

        public IReadOnlyDictionary<string, int> Counts
        {
            get
            {
                lock (_counts)
                {
                    return new Dictionary<string, int>(_counts);
                }
            }
        }

        public ValueTask OnSubscribedAsync(SubscribedEvent e, IExecutorDriver d, CancellationToken c) => Count("Subscribed");

        public ValueTask OnLaunchAsync(LaunchEvent e, IExecutorDriver d, CancellationToken c) => Count("Launch");

        public ValueTask OnLaunchGroupAsync(LaunchGroupEvent e, IExecutorDriver d, CancellationToken c) => Count("LaunchGroup");

        public ValueTask OnKillAsync(KillEvent e, IExecutorDriver d, CancellationToken c) => Count("Kill");

        public ValueTask OnAcknowledgedAsync(AcknowledgedEvent e, IExecutorDriver d, CancellationToken c) => Count("Acknowledged");

        public ValueTask OnMessageAsync(MessageEvent e, IExecutorDriver d, CancellationToken c) => Count("Message");

        public ValueTask OnErrorAsync(ErrorEvent e, IExecutorDriver d, CancellationToken c) => Count("Error");

        public ValueTask OnShutdownAsync(ShutdownEvent e, IExecutorDriver d, CancellationToken c) => Count("Shutdown");

        public ValueTask OnHeartbeatAsync(HeartbeatEvent e, IExecutorDriver d, CancellationToken c) => Count("Heartbeat");

        private ValueTask Count(string type)
        {
            lock (_counts)
            {
                _counts[type] = _counts.GetValueOrDefault(type) + 1;
            }

            return default;
        }
    }
}
