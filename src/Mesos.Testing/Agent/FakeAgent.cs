using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Hosting;
using AgentID = Mesos.V1.AgentID;
using CommandInfo = Mesos.V1.CommandInfo;
using DurationInfo = Mesos.V1.DurationInfo;
using ExecutorID = Mesos.V1.ExecutorID;
using ExecutorInfo = Mesos.V1.ExecutorInfo;
using FrameworkID = Mesos.V1.FrameworkID;
using FrameworkInfo = Mesos.V1.FrameworkInfo;
using KillPolicy = Mesos.V1.KillPolicy;
using TaskGroupInfo = Mesos.V1.TaskGroupInfo;
using TaskID = Mesos.V1.TaskID;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;
using Microsoft.AspNetCore.Http;
using Call = Mesos.V1.Executor.Call;
using Event = Mesos.V1.Executor.Event;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Testing.Agent;

/// <summary>
/// An in-process stand-in for a Mesos agent's executor API (<c>POST /api/v1/executor</c>) on Kestrel. It answers
/// like Mesos 1.12 does, with the same status codes and texts (checked against recorded agent traffic): Content-Type
/// (400 when missing, 415 otherwise), Accept (406), JSON read by proto field names only, required fields, the
/// <c>subscribe</c> object, 16-byte uuids, SOURCE_EXECUTOR, no TASK_STAGING, 403 before SUBSCRIBE. It streams events
/// as RecordIO in the encoding the executor accepts, acknowledges updates as configured, lets a test send every event
/// type, simulates agent restarts, records everything, and can start an executor process the way the agent does.
/// </summary>
public sealed partial class FakeAgent : IAsyncDisposable
{
    /// <summary>The API path.</summary>
    public const string ExecutorApiPath = "/api/v1/executor";

    // Generous: CI runs every test assembly at once on two cores, and a wait only ends early on success.
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(50);

    private readonly FakeAgentOptions _options;
    private readonly Lock _gate = new();
    private readonly List<ReceivedCall> _calls = [];
    private readonly List<TaskStatus> _updates = [];
    private readonly List<Call> _subscribes = [];
    private readonly List<ByteString> _messages = [];
    private readonly Dictionary<ByteString, TaskStatus> _unacknowledged = [];
    private readonly List<ByteString> _acknowledged = [];
    private LoopbackHttpServer? _server;
    private Subscriber? _subscriber;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _everSubscribed;
    private bool _unavailable;
    private int _port;

    private FakeAgent(FakeAgentOptions options)
    {
        _options = options;
    }

    /// <summary>Starts a fake agent on 127.0.0.1 (an ephemeral port) or on <see cref="FakeAgentOptions.UnixSocketPath"/>.</summary>
    public static async Task<FakeAgent> StartAsync(FakeAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        var agent = new FakeAgent(options ?? new FakeAgentOptions());
        await agent.ListenAsync(cancellationToken).ConfigureAwait(false);
        return agent;
    }

    public FakeAgentOptions Options => _options;

    /// <summary>The executor API URL (for a Unix socket, <c>http://localhost/api/v1/executor</c>).</summary>
    public Uri Endpoint => new(_server?.BaseAddress ?? new Uri($"http://127.0.0.1:{_port}/"), ExecutorApiPath);

    /// <summary>What MESOS_AGENT_ENDPOINT says: <c>127.0.0.1:port</c>.</summary>
    public string AgentEndpoint => $"127.0.0.1:{(_options.UnixSocketPath is null ? _port : 5051)}";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ReceivedCall> Calls => Locked(() => _calls.ToArray());

    /// <summary>Every update accepted (UPDATE calls, and the unacknowledged updates carried by re-SUBSCRIBEs), in order.</summary>
    public IReadOnlyList<TaskStatus> Updates => Locked(() => _updates.ToArray());

    /// <summary>Every accepted SUBSCRIBE call, in order.</summary>
    public IReadOnlyList<Call> Subscribes => Locked(() => _subscribes.ToArray());

    /// <summary>The data of every accepted MESSAGE call.</summary>
    public IReadOnlyList<ByteString> Messages => Locked(() => _messages.ToArray());

    /// <summary>The uuids acknowledged so far, in order.</summary>
    public IReadOnlyList<ByteString> Acknowledged => Locked(() => _acknowledged.ToArray());

    /// <summary>Updates accepted but not acknowledged yet.</summary>
    public IReadOnlyList<TaskStatus> Unacknowledged => Locked(() => _unacknowledged.Values.ToArray());

    /// <summary>True while an executor holds an event stream.</summary>
    public bool HasSubscriber => Locked(() => _subscriber is not null);

    /// <summary>The environment the agent gives an executor it launches (MESOS_*, LIBPROCESS_*; no PATH).</summary>
    public IDictionary<string, string> ExecutorEnvironment(
        string directory,
        TimeSpan? recoveryTimeout = null,
        TimeSpan? subscriptionBackoffMax = null,
        TimeSpan? shutdownGracePeriod = null,
        string? authenticationToken = null)
    {
        static string Duration(TimeSpan value) => value.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{value.Ticks / TimeSpan.TicksPerSecond}secs"
            : $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms";

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LIBPROCESS_IP"] = "127.0.0.1",
            ["LIBPROCESS_PORT"] = "0",
            ["MESOS_AGENT_ENDPOINT"] = AgentEndpoint,
            ["MESOS_CHECKPOINT"] = _options.Checkpoint ? "1" : "0",
            ["MESOS_DIRECTORY"] = directory,
            ["MESOS_EXECUTOR_ID"] = _options.ExecutorId,
            ["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = Duration(shutdownGracePeriod ?? TimeSpan.FromSeconds(5)),
            ["MESOS_FRAMEWORK_ID"] = _options.FrameworkId,
            ["MESOS_HTTP_COMMAND_EXECUTOR"] = "0",
            ["MESOS_SANDBOX"] = directory,
            ["MESOS_SLAVE_ID"] = _options.AgentId,
            ["MESOS_SLAVE_PID"] = $"slave(1)@{AgentEndpoint}",
        };
        if (_options.Checkpoint)
        {
            environment["MESOS_RECOVERY_TIMEOUT"] = Duration(recoveryTimeout ?? TimeSpan.FromMinutes(15));
            environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = Duration(subscriptionBackoffMax ?? TimeSpan.FromSeconds(2));
        }

        if (authenticationToken is not null)
        {
            environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = authenticationToken;
        }

        if (_options.UnixSocketPath is not null)
        {
            environment["MESOS_DOMAIN_SOCKET"] = _options.UnixSocketPath;
        }

        return environment;
    }

    // ---- Events to the executor ----

    /// <summary>Sends LAUNCH (the task gets this agent's id and the executor's info when it has none).</summary>
    public ValueTask LaunchAsync(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var copy = task.Clone();
        copy.AgentId ??= new AgentID { Value = _options.AgentId };
        copy.Executor ??= ExecutorInfo();
        return SendEventAsync(new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = copy } });
    }

    /// <summary>Sends LAUNCH_GROUP.</summary>
    public ValueTask LaunchGroupAsync(TaskGroupInfo group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var copy = group.Clone();
        foreach (var task in copy.Tasks)
        {
            task.AgentId ??= new AgentID { Value = _options.AgentId };
            task.Executor ??= ExecutorInfo();
        }

        return SendEventAsync(new Event { Type = Event.Types.Type.LaunchGroup, LaunchGroup = new Event.Types.LaunchGroup { TaskGroup = copy } });
    }

    /// <summary>Sends KILL, with a kill policy when <paramref name="gracePeriod"/> is given.</summary>
    public ValueTask KillAsync(string taskId, TimeSpan? gracePeriod = null)
    {
        var kill = new Event.Types.Kill { TaskId = new TaskID { Value = taskId } };
        if (gracePeriod is { } grace)
        {
            kill.KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = grace.Ticks * 100 } };
        }

        return SendEventAsync(new Event { Type = Event.Types.Type.Kill, Kill = kill });
    }

    /// <summary>Sends MESSAGE (bytes from the scheduler).</summary>
    public ValueTask SendMessageAsync(ReadOnlyMemory<byte> data) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFrom(data.Span) } });

    /// <summary>Sends SHUTDOWN.</summary>
    public ValueTask ShutdownAsync() => SendEventAsync(new Event { Type = Event.Types.Type.Shutdown });

    /// <summary>Sends HEARTBEAT.</summary>
    public ValueTask HeartbeatAsync() => SendEventAsync(new Event { Type = Event.Types.Type.Heartbeat });

    /// <summary>Sends ERROR.</summary>
    public ValueTask SendErrorAsync(string message) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = message } });

    /// <summary>Sends any event, encoded for the current subscriber.</summary>
    /// <exception cref="InvalidOperationException">No executor is subscribed.</exception>
    public ValueTask SendEventAsync(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscriber = Locked(() => _subscriber) ?? throw new InvalidOperationException("No executor is subscribed to the fake agent");
        return subscriber.WriteAsync(RecordIOWriter.Frame(MesosCodec.Encode(@event, subscriber.Encoding)));
    }

    /// <summary>Writes raw bytes onto the event stream (half a record, garbage, ...).</summary>
    public ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        var subscriber = Locked(() => _subscriber) ?? throw new InvalidOperationException("No executor is subscribed to the fake agent");
        return subscriber.WriteAsync(bytes.ToArray());
    }

    /// <summary>Acknowledges the update with <paramref name="uuid"/> now (for <see cref="AcknowledgementPolicy.Never"/>).</summary>
    public ValueTask<bool> AcknowledgeAsync(ByteString uuid)
    {
        TaskStatus? status;
        Subscriber? subscriber;
        lock (_gate)
        {
            subscriber = _subscriber;
            if (subscriber is null || !_unacknowledged.Remove(uuid, out status))
            {
                return ValueTask.FromResult(false);
            }

            _acknowledged.Add(uuid);
            SignalLocked();
        }

        var ack = new Event
        {
            Type = Event.Types.Type.Acknowledged,
            Acknowledged = new Event.Types.Acknowledged { TaskId = status.TaskId, Uuid = status.Uuid },
        };
        return AwaitTrue(subscriber.WriteAsync(RecordIOWriter.Frame(MesosCodec.Encode(ack, subscriber.Encoding))));

        static async ValueTask<bool> AwaitTrue(ValueTask write)
        {
            await write.ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Acknowledges every update not acknowledged yet.</summary>
    public async Task AcknowledgeAllAsync()
    {
        foreach (var status in Unacknowledged)
        {
            await AcknowledgeAsync(status.Uuid).ConfigureAwait(false);
        }
    }

    // ---- Faults ----

    /// <summary>Ends the current event stream: cleanly (a final empty chunk) or by aborting the connection.</summary>
    public void DropStream(bool abort = false)
    {
        Subscriber? subscriber;
        lock (_gate)
        {
            subscriber = _subscriber;
            _subscriber = null;
            SignalLocked();
        }

        subscriber?.Close(abort);
    }

    /// <summary>The agent goes away: the stream drops, then connections are refused or answered 503 until <see cref="EndOutageAsync"/>.</summary>
    public async Task BeginOutageAsync(AgentOutage outage)
    {
        DropStream(abort: true);
        if (outage == AgentOutage.ServiceUnavailable)
        {
            Locked(() => _unavailable = true);
            return;
        }

        var server = Locked(() => { var s = _server; _server = null; return s; });
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The agent is back (same port or socket) and accepts re-SUBSCRIBEs.</summary>
    public async Task EndOutageAsync(CancellationToken cancellationToken = default)
    {
        Locked(() => _unavailable = false);
        if (Locked(() => _server) is null)
        {
            await ListenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A whole agent restart: <see cref="BeginOutageAsync"/>, <paramref name="downtime"/>, <see cref="EndOutageAsync"/>.</summary>
    public async Task RestartAsync(TimeSpan downtime, AgentOutage outage = AgentOutage.Refuse, CancellationToken cancellationToken = default)
    {
        await BeginOutageAsync(outage).ConfigureAwait(false);
        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
        await EndOutageAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Waiting ----

    /// <summary>Waits until <paramref name="condition"/> holds (checked after every change of this agent, and every 50 ms).</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/> (15 s by default).</exception>
    public async Task WaitUntilAsync(Func<FakeAgent, bool> condition, TimeSpan? timeout = null, string? what = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? DefaultWait).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            var remaining = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The fake agent waited {timeout ?? DefaultWait} for {what ?? "a condition"} in vain");
            }

            try
            {
                // Conditions often look at other objects too (the executor client's state, a task's process), which
                // change without this agent noticing: re-check every so often, not only when the agent changes.
                await changed.WaitAsync(remaining < RecheckInterval ? remaining : RecheckInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked once more above.
            }
        }
    }

    /// <summary>Waits for the <paramref name="count"/>-th accepted SUBSCRIBE and returns it.</summary>
    public async Task<Call> WaitForSubscribeAsync(int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(a => a.Locked(() => a._subscribes.Count >= count && a._subscriber is not null), timeout, $"SUBSCRIBE #{count}", cancellationToken).ConfigureAwait(false);
        return Locked(() => _subscribes[count - 1]);
    }

    /// <summary>Waits for an accepted update matching <paramref name="match"/> and returns the first.</summary>
    public async Task<TaskStatus> WaitForUpdateAsync(Func<TaskStatus, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        TaskStatus? found = null;
        await WaitUntilAsync(a => (found = a.Updates.FirstOrDefault(match)) is not null, timeout, "an update", cancellationToken).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits for an update of <paramref name="taskId"/> in <paramref name="state"/>.</summary>
    public Task<TaskStatus> WaitForUpdateAsync(string taskId, TaskState state, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForUpdateAsync(s => s.TaskId.Value == taskId && s.State == state, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        DropStream(abort: true);
        var server = Locked(() => { var s = _server; _server = null; return s; });
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        if (_options.UnixSocketPath is { } path && File.Exists(path))
        {
            File.Delete(path);
        }

        var server = await LoopbackHttpServer.StartAsync(HandleAsync, _port, _options.UnixSocketPath, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _server = server;
            _port = server.Port;
            SignalLocked();
        }
    }

    private ExecutorInfo ExecutorInfo() => new()
    {
        Type = Mesos.V1.ExecutorInfo.Types.Type.Custom,
        ExecutorId = new ExecutorID { Value = _options.ExecutorId },
        FrameworkId = new FrameworkID { Value = _options.FrameworkId },
        Command = new CommandInfo { Value = "./executor", Shell = true },
    };

    private FrameworkInfo FrameworkInfo()
    {
        var info = new FrameworkInfo
        {
            User = "root",
            Name = "fake-framework",
            Id = new FrameworkID { Value = _options.FrameworkId },
            Checkpoint = _options.Checkpoint,
        };
        info.Roles.Add("*");
        info.Capabilities.AddRange(_options.FrameworkCapabilities.Select(t => new FrameworkInfo.Types.Capability { Type = t }));
        return info;
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>One executor's event stream: frames queued by the test, written by the request that subscribed.</summary>
    private sealed class Subscriber(MesosEncoding encoding, HttpContext context)
    {
        private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public MesosEncoding Encoding { get; } = encoding;

        public HttpContext Context { get; } = context;

        public ChannelReader<byte[]> Frames => _frames.Reader;

        public ValueTask WriteAsync(byte[] frame) => _frames.Writer.TryWrite(frame)
            ? ValueTask.CompletedTask
            : throw new InvalidOperationException("The executor's event stream is closed");

        public void Close(bool abort)
        {
            _frames.Writer.TryComplete();
            if (abort)
            {
                try
                {
                    Context.Abort();
                }
                catch (ObjectDisposedException)
                {
                    // The executor ended the request between our taking the subscriber and aborting it: nothing to abort.
                }
            }
        }
    }
}
