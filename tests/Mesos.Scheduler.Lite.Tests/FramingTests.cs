using System.Text;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>The seed's stream bugs: two records in one chunk, one record over many chunks, non-ASCII text.</summary>
public sealed class FramingTests
{
    private static byte[] Record(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"{bytes.Length}\n"), .. bytes];
    }

    [Fact]
    public async Task TwoRecordsInOneChunk_AndARecordSplitByteByByte_AndNonAsciiText_AllArriveIntact()
    {
        var subscribed = Record("""{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"fw"},"heartbeat_interval_seconds":15}}""");
        var error = Record("""{"type":"ERROR","error":{"message":"rôle « café » refusé — 失败 ✓"}}""");
        var heartbeat = Record("""{"type":"HEARTBEAT"}""");
        var message = Record("""{"type":"MESSAGE","message":{"agent_id":{"value":"ä"},"executor_id":{"value":"e"},"data":"w7xiZXI="}}""");
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            context.Response.Headers["Mesos-Stream-Id"] = "s";
            // SUBSCRIBED and ERROR in one write.
            await context.Response.Body.WriteAsync(subscribed.Concat(error).ToArray());
            await context.Response.Body.FlushAsync();
            // HEARTBEAT one byte at a time (a multi-byte character split across chunks too, in MESSAGE).
            foreach (var b in heartbeat.Concat(message))
            {
                await context.Response.Body.WriteAsync(new[] { b });
                await context.Response.Body.FlushAsync();
            }

            await Task.Delay(WaitLimit, context.RequestAborted).ContinueWith(_ => { });
        });
        var log = new EventLog();
        await using var client = new SchedulerClient(new SchedulerClientOptions { Masters = [server.BaseAddress] });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));

        await log.WaitForAsync<SubscribedEvent>();
        var err = await log.WaitForAsync<ErrorEvent>();
        await log.WaitForAsync<HeartbeatEvent>();
        var msg = await log.WaitForAsync<MessageEvent>();

        Assert.Equal("rôle « café » refusé — 失败 ✓", err.Message);
        Assert.Equal("ä", msg.AgentId.Value);
        Assert.Equal("über", msg.Data.ToStringUtf8());
        Assert.Equal(["SUBSCRIBED", "ERROR", "HEARTBEAT", "MESSAGE"], log.All.Select(e => e.Name));
    }
}
