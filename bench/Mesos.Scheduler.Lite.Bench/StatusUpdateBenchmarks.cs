using BenchmarkDotNet.Attributes;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using Event = Mesos.V1.Scheduler.Event;
using V1 = Mesos.V1;

namespace Mesos.Scheduler.Lite.Bench;

/// <summary>
/// Status updates handled and acknowledged per second: a loopback master streams N UPDATE events and answers each
/// ACKNOWLEDGE 202; one invocation ends when all N are acknowledged (ops/s = updates/s).
/// </summary>
public class StatusUpdateBenchmarks
{
    private const int Updates = 2000;
    private LoopbackHttpServer? _server;
    private byte[] _stream = [];
    private int _acks;
    private TaskCompletionSource _allAcked = new();

    [Params(MesosEncoding.Json, MesosEncoding.Protobuf)]
    public MesosEncoding Encoding { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var buffer = new MemoryStream();
        var subscribed = new Event { Type = Event.Types.Type.Subscribed, Subscribed = new Event.Types.Subscribed { FrameworkId = new V1.FrameworkID { Value = "fw" }, HeartbeatIntervalSeconds = 15 } };
        buffer.Write(RecordIOWriter.Frame(MesosCodec.Encode(subscribed, Encoding)));
        for (var i = 0; i < Updates; i++)
        {
            var status = new V1.TaskStatus
            {
                TaskId = new V1.TaskID { Value = $"task-{i}" },
                AgentId = new V1.AgentID { Value = "agent" },
                State = V1.TaskState.TaskRunning,
                Source = V1.TaskStatus.Types.Source.Executor,
                Uuid = Google.Protobuf.ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            };
            buffer.Write(RecordIOWriter.Frame(MesosCodec.Encode(new Event { Type = Event.Types.Type.Update, Update = new Event.Types.Update { Status = status } }, Encoding)));
        }

        _stream = buffer.ToArray();
        _server = await LoopbackHttpServer.StartAsync(async context =>
        {
            if (!context.Request.Headers.ContainsKey("Mesos-Stream-Id"))
            {
                context.Response.Headers["Mesos-Stream-Id"] = "s";
                await context.Response.Body.WriteAsync(_stream);
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 202;
            if (Interlocked.Increment(ref _acks) == Updates)
            {
                _allAcked.TrySetResult();
            }
        });
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public async Task HandleAndAcknowledgeAsync()
    {
        _acks = 0;
        _allAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new SchedulerClient(new SchedulerClientOptions
        {
            Masters = [_server!.BaseAddress],
            Encoding = Encoding,
            Reconciliation = new ReconciliationOptions { ExplicitAfterSubscribe = false, ImplicitInterval = null },
        });
        using var cts = new CancellationTokenSource();
        var run = client.RunAsync((_, _) => ValueTask.CompletedTask, cts.Token);
        await _allAcked.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await cts.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
