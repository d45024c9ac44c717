using System.Net;
using Google.Protobuf;
using Mesos.Executor.Client;
using Mesos.Executor.Events;
using Mesos.Executor.Tests.Support;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.Http;
using Mesos.Testing.Agent;
using Mesos.V1;
using Call = Mesos.V1.Executor.Call;
using Event = Mesos.V1.Executor.Event;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tests.Client;

public sealed class ExecutorClientTests
{
    public static TheoryData<MesosEncoding> Encodings => new(MesosEncoding.Json, MesosEncoding.Protobuf);

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Subscribe_SendsSubscribeObject_AndReceivesSubscribed(MesosEncoding encoding)
    {
        var sent = new TaskCompletionSource<SentSubscribe>();
        await using var h = await ExecutorHarness.StartAsync(encoding, options: new MesosExecutorOptions
        {
            OnSentSubscribe = s => { sent.TrySetResult(s); return default; },
        });

        var subscribe = await h.Agent.WaitForSubscribeAsync();
        var subscribed = await h.WaitForEventAsync<SubscribedEvent>();

        Assert.NotNull(subscribe.Subscribe);
        Assert.Equal(h.Agent.Options.ExecutorId, subscribe.ExecutorId.Value);
        Assert.Equal(MesosMediaTypes.Of(encoding), h.Agent.Calls[0].ContentType);
        Assert.Equal(MesosMediaTypes.Of(encoding), h.Agent.Calls[0].Accept);
        Assert.Equal(h.Agent.Options.AgentId, subscribed.AgentInfo.Id.Value);
        Assert.True(subscribed.FrameworkHasTaskKillingState);
        Assert.True(h.Client.IsSubscribed);
        Assert.Equal(Call.Types.Type.Subscribe, (await sent.Task.Bounded()).Call.Type);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Start_SubscribesBeforeTheEventsAreRead_AndOnlyOnce(MesosEncoding encoding)
    {
        await using var agent = await FakeAgent.StartAsync().Bounded();
        await using var client = MesosExecutorClient.Create(ExecutorHarness.Settings(agent, encoding));

        client.Start();
        client.Start();
        await agent.WaitForSubscribeAsync().Bounded();
        await agent.WaitUntilAsync(a => a.HasSubscriber).Bounded();
        await agent.SendMessageAsync("early"u8.ToArray());

        // Read only now: what arrived meanwhile was kept, in order.
        var events = new List<ExecutorEvent>();
        await foreach (var e in client.ReadEventsAsync().WithCancellation(new CancellationTokenSource(TestTimeouts.Default).Token))
        {
            events.Add(e);
            if (events.Count == 2)
            {
                break;
            }
        }

        Assert.IsType<SubscribedEvent>(events[0]);
        Assert.Equal("early", Assert.IsType<MessageEvent>(events[1]).Data.ToStringUtf8());
        Assert.Single(agent.Calls, c => c.Call?.Type == Call.Types.Type.Subscribe);
        Assert.Throws<InvalidOperationException>(() => client.ReadEventsAsync());
    }

    [Fact]
    public async Task Start_AfterDispose_IsRefused()
    {
        await using var agent = await FakeAgent.StartAsync().Bounded();
        var client = MesosExecutorClient.Create(ExecutorHarness.Settings(agent, MesosEncoding.Protobuf));
        await client.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(client.Start);
        Assert.Empty(agent.Calls);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Update_AfterLaunch_IsFilledIn_AndAcknowledged(MesosEncoding encoding)
    {
        var sentUpdates = new List<TaskStatus>();
        await using var h = await ExecutorHarness.StartAsync(encoding, options: new MesosExecutorOptions
        {
            OnSentUpdate = s => { lock (sentUpdates) { sentUpdates.Add(s.Status); } return default; },
        });
        await h.Agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "task-1" } }).Bounded();
        var launch = await h.WaitForEventAsync<LaunchEvent>();
        Assert.Equal("task-1", launch.Task.TaskId.Value);
        Assert.Single(h.Client.UnacknowledgedTasks);

        var sent = await h.Client.UpdateAsync(new TaskStatus { TaskId = launch.Task.TaskId, State = TaskState.TaskRunning }).Bounded();

        var received = await h.Agent.WaitForUpdateAsync("task-1", TaskState.TaskRunning);
        Assert.Equal(16, received.Uuid.Length);
        Assert.Equal(sent.Uuid, received.Uuid);
        Assert.Equal(TaskStatus.Types.Source.Executor, received.Source);
        Assert.Equal(h.Agent.Options.ExecutorId, received.ExecutorId.Value);
        Assert.True(received.Timestamp > 1_600_000_000);
        var ack = await h.WaitForEventAsync<AcknowledgedEvent>();
        Assert.Equal(sent.Uuid, ack.Uuid);
        await h.Client.WaitForAcknowledgementsAsync().Bounded();
        Assert.Empty(h.Client.UnacknowledgedUpdates);
        Assert.Empty(h.Client.UnacknowledgedTasks);
        lock (sentUpdates)
        {
            Assert.Equal(sent.Uuid, Assert.Single(sentUpdates).Uuid);
        }
    }

    [Fact]
    public async Task ABurstOfUpdates_SharesAFewConnections_AndEveryUpdateArrives()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Protobuf);

        // 100 tasks' updates at once, as an executor launching a burst of tasks sends them.
        var sends = Enumerable.Range(0, 100)
            .Select(i => h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = $"t-{i}" }, State = TaskState.TaskRunning }))
            .ToArray();
        await Task.WhenAll(sends).Bounded();

        var updates = h.Agent.Calls.Where(c => c.Call?.Type == Call.Types.Type.Update).ToList();
        Assert.Equal(100, updates.Count);
        var connections = updates.Select(c => c.ConnectionId).Distinct().Count();
        Assert.InRange(connections, 1, new MesosHttpOptions { Endpoint = new Uri("http://unused/") }.MaxCallConnections);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Message_GoesBothWays(MesosEncoding encoding)
    {
        var sentMessage = new TaskCompletionSource<SentMessage>();
        await using var h = await ExecutorHarness.StartAsync(encoding, options: new MesosExecutorOptions
        {
            OnSentMessage = m => { sentMessage.TrySetResult(m); return default; },
        });

        await h.Agent.SendMessageAsync("from-scheduler"u8.ToArray()).Bounded();
        var message = await h.WaitForEventAsync<MessageEvent>();
        await h.Client.MessageAsync("to-scheduler"u8.ToArray()).Bounded();

        Assert.Equal("from-scheduler", message.Data.ToStringUtf8());
        await h.Agent.WaitUntilAsync(a => a.Messages.Count == 1);
        Assert.Equal("to-scheduler", h.Agent.Messages[0].ToStringUtf8());
        Assert.Equal("to-scheduler", (await sentMessage.Task.Bounded()).Data.ToStringUtf8());
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Events_OfEveryType_AreYieldedInOrder_AndUnknownOnesSkipped(MesosEncoding encoding)
    {
        await using var h = await ExecutorHarness.StartAsync(encoding);
        var group = new TaskGroupInfo();
        group.Tasks.Add(new TaskInfo { Name = "g1", TaskId = new TaskID { Value = "g-1" } });

        await h.Agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" } }).Bounded();
        await h.Agent.LaunchGroupAsync(group).Bounded();
        await h.Agent.SendEventAsync(new Event { Type = (Event.Types.Type)42 }).Bounded();
        await h.Agent.KillAsync("t-1", TimeSpan.FromSeconds(7)).Bounded();
        await h.Agent.SendMessageAsync("m"u8.ToArray()).Bounded();
        await h.Agent.SendErrorAsync("something broke").Bounded();
        await h.Agent.HeartbeatAsync().Bounded();
        await h.Agent.ShutdownAsync().Bounded();
        await h.WaitForEventAsync<ShutdownEvent>();

        var types = h.Events.Select(e => e.GetType()).ToArray();
        Assert.Equal(
            [typeof(SubscribedEvent), typeof(LaunchEvent), typeof(LaunchGroupEvent), typeof(KillEvent), typeof(MessageEvent), typeof(ErrorEvent), typeof(HeartbeatEvent), typeof(ShutdownEvent)],
            types);
        var kill = h.Events.OfType<KillEvent>().Single();
        Assert.Equal(7_000_000_000, kill.KillPolicy!.GracePeriod.Nanoseconds);
        Assert.Equal("something broke", h.Events.OfType<ErrorEvent>().Single().Message);
        Assert.True(h.Events.OfType<ShutdownEvent>().Single().FromAgent);
    }

    [Fact]
    public async Task Error_Event_DoesNotEndTheStream()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Json);

        await h.Agent.SendErrorAsync("agent error").Bounded();
        await h.Agent.HeartbeatAsync().Bounded();

        await h.WaitForEventAsync<HeartbeatEvent>();
        Assert.True(h.Client.IsSubscribed);
        Assert.Single(h.Agent.Subscribes);
    }

    [Theory]
    [InlineData(MesosEncoding.Json, AgentOutage.Refuse)]
    [InlineData(MesosEncoding.Protobuf, AgentOutage.Refuse)]
    [InlineData(MesosEncoding.Json, AgentOutage.ServiceUnavailable)]
    [InlineData(MesosEncoding.Protobuf, AgentOutage.ServiceUnavailable)]
    public async Task Subscribe_AfterAgentRestart_ResendsUnacknowledgedUpdatesExactly(MesosEncoding encoding, AgentOutage outage)
    {
        await using var h = await ExecutorHarness.StartAsync(
            encoding, new FakeAgentOptions { Checkpoint = true, Acknowledgements = AcknowledgementPolicy.Never });
        await h.Agent.LaunchAsync(new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t-1" } }).Bounded();
        await h.Agent.LaunchAsync(new TaskInfo { Name = "u", TaskId = new TaskID { Value = "t-2" } }).Bounded();
        await h.WaitForEventAsync<LaunchEvent>(skip: 1);
        var first = await h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t-1" }, State = TaskState.TaskStarting }).Bounded();
        var second = await h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t-1" }, State = TaskState.TaskRunning }).Bounded();

        await h.Agent.BeginOutageAsync(outage).Bounded();
        // Sent while the agent is away: kept, and carried by the re-SUBSCRIBE.
        var during = h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t-1" }, State = TaskState.TaskFinished });
        await h.Agent.WaitUntilAsync(_ => !h.Client.IsSubscribed);
        await h.Agent.EndOutageAsync().Bounded();

        var resubscribe = await h.Agent.WaitForSubscribeAsync(2);
        var third = await during.Bounded();
        await h.WaitForEventAsync<SubscribedEvent>(skip: 1);

        Assert.Equal([first.Uuid, second.Uuid, third.Uuid], resubscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status.Uuid));
        Assert.Equal(["t-1", "t-2"], resubscribe.Subscribe.UnacknowledgedTasks.Select(t => t.TaskId.Value));
        await h.Agent.AcknowledgeAllAsync().Bounded();
        await h.Client.WaitForAcknowledgementsAsync().Bounded();
        Assert.Equal(3, h.Agent.Updates.Select(u => u.Uuid).Distinct().Count());
        Assert.Equal(["t-2"], h.Client.UnacknowledgedTasks.Select(t => t.TaskId.Value));
    }

    [Fact]
    public async Task Disconnect_WithoutCheckpointing_ShutsDown()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Json, new FakeAgentOptions { Checkpoint = false });

        h.Agent.DropStream(abort: true);

        var shutdown = await h.WaitForEventAsync<ShutdownEvent>();
        Assert.Equal(ShutdownCause.AgentLost, shutdown.Cause);
        await h.Reading.Bounded();
        Assert.Null(h.ReadError);
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t" }, State = TaskState.TaskRunning })).Bounded();
    }

    [Fact]
    public async Task Disconnect_WithCheckpointing_GivesUpWhenTheRecoveryTimeoutExpires()
    {
        await using var h = await ExecutorHarness.StartAsync(
            MesosEncoding.Protobuf, new FakeAgentOptions { Checkpoint = true }, recoveryTimeout: TimeSpan.FromMilliseconds(600));

        await h.Agent.BeginOutageAsync(AgentOutage.Refuse).Bounded();

        var shutdown = await h.WaitForEventAsync<ShutdownEvent>();
        Assert.Equal(ShutdownCause.RecoveryTimeout, shutdown.Cause);
        Assert.Contains("recovery timeout", shutdown.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Stream_EndingMidRecord_IsADisconnection_AndCheckpointingResubscribes(MesosEncoding encoding)
    {
        await using var h = await ExecutorHarness.StartAsync(encoding, new FakeAgentOptions { Checkpoint = true });

        await h.Agent.SendRawAsync("120\n{\"type\":\"HEARTB"u8.ToArray()).Bounded();
        h.Agent.DropStream();

        await h.Agent.WaitForSubscribeAsync(2);
        await h.WaitForEventAsync<SubscribedEvent>(skip: 1);
        Assert.DoesNotContain(h.Events, e => e is HeartbeatEvent or ShutdownEvent);
    }

    [Fact]
    public async Task Stream_EndingMidRecord_WithoutCheckpointing_ShutsDown()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Json);

        await h.Agent.SendRawAsync("120\n{\"type\""u8.ToArray()).Bounded();
        h.Agent.DropStream();

        Assert.Equal(ShutdownCause.AgentLost, (await h.WaitForEventAsync<ShutdownEvent>()).Cause);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task BearerToken_IsSentOnEveryRequest(MesosEncoding encoding)
    {
        await using var h = await ExecutorHarness.StartAsync(encoding, new FakeAgentOptions { RequiredToken = "s3cret" }, token: "s3cret");

        await h.Client.MessageAsync("x"u8.ToArray()).Bounded();

        Assert.All(h.Agent.Calls, c => Assert.Equal("Bearer s3cret", c.Authorization));
        Assert.Equal(2, h.Agent.Calls.Count);
    }

    [Fact]
    public async Task Subscribe_WithoutTheRequiredToken_FailsForGood()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Json, new FakeAgentOptions { RequiredToken = "s3cret" }, waitForSubscribed: false);

        await h.Reading.Bounded();

        var error = Assert.IsType<MesosHttpException>(h.ReadError);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task UnixDomainSocket_CarriesTheWholeProtocol(MesosEncoding encoding)
    {
        var socket = Path.Combine(Path.GetTempPath(), $"fake-agent-{Guid.NewGuid():N}.sock");
        await using var h = await ExecutorHarness.StartAsync(encoding, new FakeAgentOptions { UnixSocketPath = socket });

        await h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t" }, State = TaskState.TaskRunning }).Bounded();

        Assert.Equal(socket, h.Client.Settings.DomainSocket);
        await h.WaitForEventAsync<AcknowledgedEvent>();
    }

    [Fact]
    public async Task Update_StagingOrWithoutTaskId_IsRefusedBeforeSending()
    {
        await using var h = await ExecutorHarness.StartAsync(MesosEncoding.Json);

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.UpdateAsync(new TaskStatus { TaskId = new TaskID { Value = "t" }, State = TaskState.TaskStaging })).Bounded();
        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.UpdateAsync(new TaskStatus { State = TaskState.TaskRunning })).Bounded();
        Assert.Single(h.Agent.Calls);
    }

    [Fact]
    public void NewUuid_IsAVersion4UuidInNetworkOrder()
    {
        var uuid = MesosExecutorClient.NewUuid();

        Assert.Equal(16, uuid.Length);
        Assert.Equal(4, uuid[6] >> 4);
        Assert.Equal(0x80, uuid[8] & 0xC0);
    }
}
