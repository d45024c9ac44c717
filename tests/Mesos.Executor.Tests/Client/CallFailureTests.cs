using System.Collections.Concurrent;
using System.Net;
using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using Mesos.Executor.Tests.Support;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.Http;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Hosting;
using Mesos.V1;
using Microsoft.AspNetCore.Http;
using Call = Mesos.V1.Executor.Call;
using Event = Mesos.V1.Executor.Event;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tests.Client;

/// <summary>An agent scripted to answer calls with given statuses (400, 403, 503), while its event stream stays up.</summary>
public sealed class CallFailureTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(int Status, string Body)> _answers = new();
    private readonly ConcurrentQueue<Call> _calls = new();
    private LoopbackHttpServer _server = null!;
    private MesosExecutorClient _client = null!;
    private Task _reading = Task.CompletedTask;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        _server = await LoopbackHttpServer.StartAsync(HandleAsync).Bounded();
        _client = MesosExecutorClient.Create(new ExecutorSettings
        {
            FrameworkId = "fw",
            ExecutorId = "ex",
            Directory = Path.GetTempPath(),
            AgentEndpoint = new Uri(_server.BaseAddress, "/api/v1/executor"),
            Checkpoint = true,
            SubscriptionBackoffMax = TimeSpan.FromMilliseconds(50),
            Encoding = MesosEncoding.Json,
        });
        _reading = Task.Run(async () =>
        {
            await foreach (var e in _client.ReadEventsAsync())
            {
                if (e is SubscribedEvent)
                {
                    _subscribed.TrySetResult();
                }
            }
        });
        await _subscribed.Task.Bounded();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _reading.WaitAsync(TestTimeouts.Default).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Theory]
    [InlineData(400, "Failed to validate Executor::Call: Not a valid UUID")]
    [InlineData(403, "Executor is not subscribed")]
    public async Task Update_RejectedByTheAgent_ThrowsWithItsText_AndIsNotKept(int status, string body)
    {
        _answers.Enqueue((status, body));

        var ex = await Assert.ThrowsAsync<MesosHttpException>(() => Update("t")).Bounded();

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(body, ex.Body);
        Assert.Empty(_client.UnacknowledgedUpdates);
    }

    [Fact]
    public async Task Update_AnsweredServiceUnavailable_IsRetried()
    {
        _answers.Enqueue((503, "Agent has not finished recovery"));

        var sent = await Update("t").Bounded();

        var updates = _calls.Where(c => c.Type == Call.Types.Type.Update).ToArray();
        Assert.Equal(2, updates.Length);
        Assert.All(updates, u => Assert.Equal(sent.Uuid, u.Update.Status.Uuid));
        Assert.Single(_client.UnacknowledgedUpdates);
    }

    [Fact]
    public async Task Message_AnsweredServiceUnavailableTwice_Throws()
    {
        _answers.Enqueue((503, "Agent has not finished recovery"));
        _answers.Enqueue((503, "Agent has not finished recovery"));

        var ex = await Assert.ThrowsAsync<MesosHttpException>(() => _client.MessageAsync("m"u8.ToArray())).Bounded();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(2, _calls.Count(c => c.Type == Call.Types.Type.Message));
    }

    private Task<TaskStatus> Update(string taskId) =>
        _client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = taskId }, State = TaskState.TaskRunning });

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var call = MesosCodec.Decode<Call>(body.ToArray(), MesosEncoding.Json);
        if (call.Type == Call.Types.Type.Subscribe)
        {
            context.Response.ContentType = MesosMediaTypes.Json;
            var subscribed = new Event
            {
                Type = Event.Types.Type.Subscribed,
                Subscribed = new Event.Types.Subscribed
                {
                    ExecutorInfo = new ExecutorInfo { ExecutorId = new ExecutorID { Value = "ex" } },
                    FrameworkInfo = new FrameworkInfo { User = "u", Name = "f" },
                    AgentInfo = new AgentInfo { Hostname = "h" },
                },
            };
            await context.Response.Body.WriteAsync(RecordIOWriter.Frame(MesosCodec.Encode(subscribed, MesosEncoding.Json)));
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        _calls.Enqueue(call);
        var (status, text) = _answers.TryDequeue(out var answer) ? answer : (202, string.Empty);
        context.Response.StatusCode = status;
        if (text.Length > 0)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text);
        }
    }
}
