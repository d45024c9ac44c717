using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using Call = Mesos.V1.Scheduler.Call;
using Event = Mesos.V1.Scheduler.Event;

namespace Mesos.Testing.Master;

/// <summary>
/// An in-process Mesos master on Kestrel serving <c>/api/v1/scheduler</c>, answering exactly like Mesos 1.12 (recorded):
/// 307 with a scheme-less Location from a non-leader, 503 without leader or while recovering, 405 for non-POST, 400 with
/// Mesos' texts (Content-Type missing, undecodable body, missing required fields with camelCase JSON, validation, stream
/// id rules, unknown framework), 401 when <see cref="FakeMasterOptions.Authenticate"/> refuses, 403 when not subscribed,
/// 406, 415. Subscribed frameworks get SUBSCRIBED, HEARTBEATs and OFFERS of simulated agents; ACCEPT validates offers
/// and tasks like the master and hands valid launches to an <see cref="IFakeTaskLauncher"/>.
/// </summary>
public sealed partial class FakeMaster : IAsyncDisposable, IFakeStatusSink
{
    private const string StreamIdHeader = "Mesos-Stream-Id";
    private readonly FakeMasterOptions _options;
    private readonly IFakeTaskLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<ReceivedCall> _calls = [];
    private readonly CancellationTokenSource _stop = new();
    private LoopbackHttpServer? _server;
    private Task? _allocator;
    private TaskCompletionSource _callArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeMaster(FakeMasterOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _launcher = options.Launcher ?? new SimulatedTaskLauncher();
    }

    /// <summary>Starts a leading master with no agents on 127.0.0.1.</summary>
    public static async Task<FakeMaster> StartAsync(FakeMasterOptions? options = null, CancellationToken cancellationToken = default)
    {
        var master = new FakeMaster(options ?? new FakeMasterOptions());
        master._server = await LoopbackHttpServer.StartAsync(master.HandleAsync, master._options.Port, null, cancellationToken).ConfigureAwait(false);
        master._allocator = Task.Run(master.AllocateLoopAsync, CancellationToken.None);
        return master;
    }

    public FakeMasterOptions Options => _options;

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary><c>http://127.0.0.1:PORT/api/v1/scheduler</c>.</summary>
    public Uri Endpoint => new(BaseAddress, "api/v1/scheduler");

    /// <summary>The launcher in use (the <see cref="SimulatedTaskLauncher"/> unless one was given).</summary>
    public IFakeTaskLauncher Launcher => _launcher;

    /// <summary>False: this master redirects to <see cref="LeaderAddress"/>, or answers 503 "No leader elected" without one.</summary>
    public bool IsLeader { get; set; } = true;

    /// <summary>The leading master's base address (host and port), used for the 307 Location when not leading.</summary>
    public Uri? LeaderAddress { get; set; }

    /// <summary>True answers 503 "Master has not finished recovery".</summary>
    public bool Recovering { get; set; }

    /// <summary>False stops HEARTBEAT events (to test the scheduler's watchdog).</summary>
    public bool SendHeartbeats { get; set; } = true;

    /// <summary>False stops offers.</summary>
    public bool SendOffers { get; set; } = true;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<ReceivedCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>The calls of one type that were accepted (2xx).</summary>
    public IReadOnlyList<Call> AcceptedCalls(Call.Types.Type type) =>
        Calls.Where(c => c.Call?.Type == type && c.Status is >= 200 and < 300).Select(c => c.Call!).ToArray();

    /// <summary>Waits until a call matching <paramref name="predicate"/> was answered with 2xx, and returns it.</summary>
    public async Task<Call> WaitForCallAsync(Call.Types.Type type, Func<Call, bool>? predicate = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                var found = _calls.FirstOrDefault(c => c.Call?.Type == type && c.Status is >= 200 and < 300 && (predicate is null || predicate(c.Call)));
                if (found is not null)
                {
                    return found.Call!;
                }

                arrived = _callArrived.Task;
            }

            try
            {
                await arrived.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The fake master received no accepted {type} call matching the condition within {timeout ?? TimeSpan.FromSeconds(10)}");
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every call and event.</summary>
    public async Task WaitUntilAsync(Func<FakeMaster, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(this))
        {
            Task arrived;
            lock (_lock)
            {
                arrived = _callArrived.Task;
            }

            try
            {
                // Re-check at least every 50 ms too: some conditions change without a call (stream writes).
                await Task.WhenAny(arrived, Task.Delay(50, cts.Token)).WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"} on the fake master");
            }
        }
    }

    private void Record(ReceivedCall call)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _calls.Add(call);
            signal = _callArrived;
            _callArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            signal = _callArrived;
            _callArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        var streamId = request.Headers.TryGetValue(StreamIdHeader, out var sid) ? sid.ToString() : null;
        if (!string.Equals(request.Path.Value?.TrimEnd('/'), "/api/v1/scheduler", StringComparison.Ordinal))
        {
            if (await TryServeReadOnlyAsync(context).ConfigureAwait(false))
            {
                return;
            }

            await AnswerAsync(context, null, streamId, authorization, null, 404, string.Empty).ConfigureAwait(false);
            return;
        }

        if (_options.Authenticate is { } authenticate && !authenticate(authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"mesos\"";
            await AnswerAsync(context, null, streamId, authorization, null, 401, string.Empty).ConfigureAwait(false);
            return;
        }

        if (!IsLeader)
        {
            if (LeaderAddress is { } leader)
            {
                // Mesos answers with a protocol-relative URL: "//host:port" + the request's path.
                context.Response.Headers.Location = $"//{leader.Authority}{request.Path}{request.QueryString}";
                await AnswerAsync(context, null, streamId, authorization, null, 307, string.Empty).ConfigureAwait(false);
            }
            else
            {
                await AnswerAsync(context, null, streamId, authorization, null, 503, "No leader elected").ConfigureAwait(false);
            }

            return;
        }

        if (Recovering)
        {
            await AnswerAsync(context, null, streamId, authorization, null, 503, "Master has not finished recovery").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await AnswerAsync(context, null, streamId, authorization, null, 405, $"405 Method Not Allowed. Expecting one of {{ 'POST' }}, but received '{request.Method}'.").ConfigureAwait(false);
            return;
        }

        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            await AnswerAsync(context, null, streamId, authorization, null, 400, "Expecting 'Content-Type' to be present").ConfigureAwait(false);
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var bytes = body.ToArray();
        Call call;
        MesosEncoding encoding;
        if (contentType == MesosMediaTypes.Protobuf)
        {
            encoding = MesosEncoding.Protobuf;
            try
            {
                call = MesosCodec.Decode<Call>(bytes, MesosEncoding.Protobuf);
            }
            catch (MesosDecodeException)
            {
                await AnswerAsync(context, null, streamId, authorization, encoding, 400, "Failed to parse body into Call protobuf").ConfigureAwait(false);
                return;
            }
        }
        else if (contentType == MesosMediaTypes.Json)
        {
            encoding = MesosEncoding.Json;
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(bytes);
            }
            catch (System.Text.Json.JsonException ex)
            {
                await AnswerAsync(context, null, streamId, authorization, encoding, 400, "Failed to parse body into JSON: " + ex.Message).ConfigureAwait(false);
                return;
            }

            StrictJson.DropUnknownKeys(node, Call.Descriptor);
            try
            {
                call = MesosCodec.ParseJson<Call>(node?.ToJsonString() ?? "null");
            }
            catch (MesosDecodeException ex)
            {
                await AnswerAsync(context, null, streamId, authorization, encoding, 400, "Failed to convert JSON into Call protobuf: " + ex.Message).ConfigureAwait(false);
                return;
            }

            if (MesosCodec.MissingRequiredFields(call) is { Count: > 0 } missing)
            {
                await AnswerAsync(context, call, streamId, authorization, encoding, 400,
                    "Failed to convert JSON into Call protobuf: Missing required fields: " + string.Join(", ", missing)).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            await AnswerAsync(context, null, streamId, authorization, null, 415,
                $"Expecting 'Content-Type' of {MesosMediaTypes.Json} or {MesosMediaTypes.Protobuf}").ConfigureAwait(false);
            return;
        }

        if (Validate(call) is { } invalid)
        {
            await AnswerAsync(context, call, streamId, authorization, encoding, 400, "Failed to validate scheduler::Call: " + invalid).ConfigureAwait(false);
            return;
        }

        MesosEncoding? accept = null;
        if (call.Type is Call.Types.Type.Subscribe or Call.Types.Type.ReconcileOperations)
        {
            accept = Accepts(request.Headers.Accept.ToString(), MesosMediaTypes.Json) ? MesosEncoding.Json
                : Accepts(request.Headers.Accept.ToString(), MesosMediaTypes.Protobuf) ? MesosEncoding.Protobuf
                : null;
            if (accept is null)
            {
                await AnswerAsync(context, call, streamId, authorization, encoding, 406,
                    $"Expecting 'Accept' to allow '{MesosMediaTypes.Protobuf}' or '{MesosMediaTypes.Json}'").ConfigureAwait(false);
                return;
            }
        }

        if (call.Type == Call.Types.Type.Subscribe)
        {
            if (streamId is not null)
            {
                await AnswerAsync(context, call, streamId, authorization, encoding, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header").ConfigureAwait(false);
                return;
            }

            await SubscribeAsync(context, call, authorization, encoding, accept!.Value).ConfigureAwait(false);
            return;
        }

        FrameworkState? framework;
        lock (_lock)
        {
            _frameworks.TryGetValue(call.FrameworkId.Value, out framework);
        }

        if (framework is null)
        {
            await AnswerAsync(context, call, streamId, authorization, encoding, 400, "Framework cannot be found").ConfigureAwait(false);
            return;
        }

        if (framework.Stream is null)
        {
            await AnswerAsync(context, call, streamId, authorization, encoding, 403, "Framework is not subscribed").ConfigureAwait(false);
            return;
        }

        if (streamId is null)
        {
            await AnswerAsync(context, call, streamId, authorization, encoding, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header").ConfigureAwait(false);
            return;
        }

        if (streamId != framework.Stream.Id)
        {
            await AnswerAsync(context, call, streamId, authorization, encoding, 400,
                $"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {framework.Id}").ConfigureAwait(false);
            return;
        }

        var (status, responseBody) = await ProcessAsync(framework, call, accept, context.RequestAborted).ConfigureAwait(false);
        if (responseBody is not null)
        {
            context.Response.ContentType = MesosMediaTypes.Of(accept ?? MesosEncoding.Json);
            context.Response.StatusCode = status;
            await context.Response.Body.WriteAsync(responseBody, context.RequestAborted).ConfigureAwait(false);
            Record(new ReceivedCall(call, streamId, authorization, encoding, status, string.Empty));
            return;
        }

        await AnswerAsync(context, call, streamId, authorization, encoding, status, string.Empty).ConfigureAwait(false);
    }

    private static string? Validate(Call call)
    {
        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        if (call.Type == Call.Types.Type.Subscribe)
        {
            if (call.Subscribe is null)
            {
                return "Expecting 'subscribe' to be present";
            }

            return Equals(call.Subscribe.FrameworkInfo?.Id, call.FrameworkId) ? null : "'framework_id' differs from 'subscribe.framework_info.id'";
        }

        if (call.FrameworkId is null)
        {
            return "Expecting 'framework_id' to be present";
        }

        return call.Type switch
        {
            Call.Types.Type.Accept when call.Accept is null => "Expecting 'accept' to be present",
            Call.Types.Type.Decline when call.Decline is null => "Expecting 'decline' to be present",
            Call.Types.Type.AcceptInverseOffers when call.AcceptInverseOffers is null => "Expecting 'accept_inverse_offers' to be present",
            Call.Types.Type.DeclineInverseOffers when call.DeclineInverseOffers is null => "Expecting 'decline_inverse_offers' to be present",
            Call.Types.Type.Kill when call.Kill is null => "Expecting 'kill' to be present",
            Call.Types.Type.Shutdown when call.Shutdown is null => "Expecting 'shutdown' to be present",
            Call.Types.Type.Acknowledge when call.Acknowledge is null => "Expecting 'acknowledge' to be present",
            Call.Types.Type.Acknowledge when call.Acknowledge.Uuid.Length != 16 => "Not a valid UUID",
            Call.Types.Type.AcknowledgeOperationStatus when call.AcknowledgeOperationStatus is null => "Expecting 'acknowledge_operation_status' to be present",
            Call.Types.Type.AcknowledgeOperationStatus when call.AcknowledgeOperationStatus.Uuid.Length != 16 => "Not a valid UUID",
            Call.Types.Type.AcknowledgeOperationStatus when call.AcknowledgeOperationStatus.AgentId is null => "Expecting 'agent_id' to be present",
            Call.Types.Type.Reconcile when call.Reconcile is null => "Expecting 'reconcile' to be present",
            Call.Types.Type.ReconcileOperations when call.ReconcileOperations is null => "Expecting 'reconcile_operations' to be present",
            Call.Types.Type.Message when call.Message is null => "Expecting 'message' to be present",
            Call.Types.Type.Request when call.Request is null => "Expecting 'request' to be present",
            Call.Types.Type.UpdateFramework when call.UpdateFramework is null => "Expecting 'update_framework' to be present",
            Call.Types.Type.Unknown => "Expecting 'type' to be present",
            _ => null,
        };
    }

    private static bool Accepts(string? accept, string mediaType)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        foreach (var part in accept.Split(','))
        {
            var pieces = part.Split(';');
            var type = pieces[0].Trim();
            var q = pieces.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("q=", StringComparison.Ordinal));
            if (q is not null && double.TryParse(q[2..], System.Globalization.CultureInfo.InvariantCulture, out var quality) && quality <= 0)
            {
                continue;
            }

            if (type == "*/*" || type == "application/*" || string.Equals(type, mediaType, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private async Task AnswerAsync(HttpContext context, Call? call, string? streamId, string? authorization, MesosEncoding? encoding, int status, string body)
    {
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        Record(new ReceivedCall(call, streamId, authorization, encoding, status, body));
    }

    private static byte[] Frame(Event ev, MesosEncoding encoding) => RecordIOWriter.Frame(MesosCodec.Encode(ev, encoding));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_lock)
        {
            foreach (var framework in _frameworks.Values)
            {
                framework.Stream?.Close(abort: true);
            }
        }

        if (_allocator is not null)
        {
            try
            {
                await _allocator.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Stopping anyway.
            }
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    internal static string Text(ByteString bytes) => Encoding.UTF8.GetString(bytes.Span);

}
