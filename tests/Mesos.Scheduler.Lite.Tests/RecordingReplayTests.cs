using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mesos.Protocol.Encoding;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>The recorded traffic of a real Mesos 1.12 master: our client reads it, our fake master answers like it.</summary>
public sealed class RecordingReplayTests
{
    private static string SchedulerRecordings => Path.Combine(RepoPaths.Recordings, "scheduler");

    [Fact]
    public async Task Client_ReadsTheRecordedMasterStream_AsTypedEvents()
    {
        var recorded = await File.ReadAllBytesAsync(Path.Combine(SchedulerRecordings, "subscribe-offers-heartbeat.json.recordio"));
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers["Mesos-Stream-Id"] = "recorded-stream";
            await context.Response.Body.WriteAsync(recorded);
            await context.Response.Body.FlushAsync();
            // Keep the stream open like a master would: the test stops the client.
            await Task.Delay(WaitLimit, context.RequestAborted).ContinueWith(_ => { });
        });
        var log = new EventLog();
        await using var client = new SchedulerClient(new SchedulerClientOptions { Masters = [server.BaseAddress] });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));

        var subscribed = await log.WaitForAsync<SubscribedEvent>();
        var offers = await log.WaitForAsync<OffersEvent>();
        await log.WaitForAsync<HeartbeatEvent>();
        var second = await log.WaitForAsync<OffersEvent>();

        Assert.Equal("1b998fcc-69ee-4484-beb6-6796be262ddd-0007", subscribed.FrameworkId.Value);
        Assert.Equal(TimeSpan.FromSeconds(15), subscribed.HeartbeatInterval);
        Assert.Equal("1.12.0", subscribed.MasterInfo!.Version);
        Assert.Equal("recorded-stream", subscribed.StreamId);
        Assert.Equal("1b998fcc-69ee-4484-beb6-6796be262ddd-O8", offers.Offers[0].Id.Value);
        Assert.Equal("1b998fcc-69ee-4484-beb6-6796be262ddd-O9", second.Offers[0].Id.Value);
        Assert.Equal(["SUBSCRIBED", "OFFERS", "HEARTBEAT", "OFFERS"], log.All.Select(e => e.Name));
    }

    [Fact]
    public async Task OfferMatcher_PlacesTasksOnTheRecordedOffer_KeepingItsRoleAndAllocationInfo()
    {
        await using var file = File.OpenRead(Path.Combine(SchedulerRecordings, "subscribe-offers-heartbeat.json.recordio"));
        await using var reader = Mesos.Protocol.RecordIO.RecordIOReader.Create(file);
        Event? ev = null;
        while (await reader.ReadRecordAsync() is { } record)
        {
            var decoded = MesosCodec.Decode<Event>(record, MesosEncoding.Json);
            if (decoded.Type == Event.Types.Type.Offers)
            {
                ev = decoded;
                break;
            }
        }

        Assert.NotNull(ev);
        var requests = Enumerable.Range(0, 5).Select(i => new LaunchRequest
        {
            Id = $"t{i}",
            Resources = new ResourceRequirements { Cpus = 0.8, Mem = 800, Ports = 2 },
        }).ToArray();

        var result = OfferMatcher.Match(ev.Offers.Offers_, requests);

        var launch = Assert.Single(result.Launches);
        Assert.Equal(5, launch.Placements.Count);
        Assert.Empty(result.Unplaced);
        Assert.All(launch.Placements.SelectMany(p => p.TaskResources), r =>
        {
            Assert.Equal("*", r.Role);
            Assert.Equal("*", r.AllocationInfo.Role);
        });
        Assert.Equal([31000UL, 31001UL], launch.Placements[0].Ports);
        Assert.Equal([31008UL, 31009UL], launch.Placements[4].Ports);
    }

    public static TheoryData<string> Labels() => new() { "no-content-type", "bad-accept", "camel", "call-without-stream-id", "get" };

    [Theory]
    [MemberData(nameof(Labels))]
    public async Task FakeMaster_AnswersLikeTheRecordedMaster(string label)
    {
        var expected = File.ReadAllLines(Path.Combine(SchedulerRecordings, "error-answers.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("label").GetString() == label);
        await using var master = await FakeMaster.StartAsync();
        using var http = new HttpClient();
        var subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}""";
        using var request = label switch
        {
            "no-content-type" => new HttpRequestMessage(HttpMethod.Post, master.Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(subscribe)) },
            "bad-accept" => Json(subscribe, "text/plain"),
            "camel" => Json("""{"type":"SUBSCRIBE","subscribe":{"frameworkInfo":{"user":"u","name":"n"}}}""", "application/json"),
            "call-without-stream-id" => Json("""{"type":"TEARDOWN","framework_id":{"value":"no-such-framework"}}""", "application/json"),
            "get" => new HttpRequestMessage(HttpMethod.Get, master.Endpoint),
            _ => throw new ArgumentOutOfRangeException(nameof(label)),
        };

        using var response = await http.SendAsync(request).WaitAsync(WaitLimit);

        Assert.Equal(expected.GetProperty("status").GetInt32(), (int)response.StatusCode);
        Assert.Equal(expected.GetProperty("body").GetString(), await response.Content.ReadAsStringAsync());

        HttpRequestMessage Json(string body, string accept)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, master.Endpoint) { Content = new StringContent(body, Encoding.UTF8) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Accept.ParseAdd(accept);
            return message;
        }
    }
}
