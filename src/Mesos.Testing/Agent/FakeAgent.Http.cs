using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Microsoft.AspNetCore.Http;
using Call = Mesos.V1.Executor.Call;
using Event = Mesos.V1.Executor.Event;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Testing.Agent;

// The request handling, in the order of the agent's Http::executor (src/slave/http.cpp) and
// validateExecutorCall (src/common/validation.cpp); the texts are the recorded ones.
public sealed partial class FakeAgent
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var bytes = body.ToArray();
        var contentType = request.Headers.ContentType.ToString() is { Length: > 0 } ct ? ct : null;
        var accept = request.Headers.Accept.ToString() is { Length: > 0 } a ? a : null;
        var authorization = request.Headers.Authorization.ToString() is { Length: > 0 } z ? z : null;

        Call? call = null;
        var (status, text) = Validate(request.Method, contentType, accept, authorization, bytes, ref call, out var eventEncoding);

        var received = new ReceivedCall(Stopwatch.GetTimestamp(), request.Method, contentType, accept, authorization, bytes, call, status, text)
        {
            ConnectionId = context.Connection.Id,
        };
        if (status == StatusCodes.Status200OK && call is not null)
        {
            await StreamAsync(context, call, eventEncoding, received).ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            _calls.Add(received);
            if (status == StatusCodes.Status202Accepted && call is not null)
            {
                switch (call.Type)
                {
                    case Call.Types.Type.Update:
                        AcceptUpdateLocked(call.Update.Status);
                        break;
                    case Call.Types.Type.Message:
                        _messages.Add(call.Message.Data);
                        break;
                }
            }

            SignalLocked();
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mesos-agent-executor\"";
        }

        if (text.Length > 0)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private (int Status, string Text) Validate(
        string method, string? contentType, string? accept, string? authorization, byte[] body, ref Call? call, out MesosEncoding eventEncoding)
    {
        eventEncoding = MesosEncoding.Json;
        if (Locked(() => _unavailable))
        {
            return (503, "Agent has not finished recovery");
        }

        if (!HttpMethods.IsPost(method))
        {
            return (405, $"Expecting one of {{ 'POST' }}, but received '{method}'");
        }

        if (_options.RequiredToken is { } token && authorization != "Bearer " + token)
        {
            return (401, string.Empty);
        }

        if (contentType is null)
        {
            return (400, "Expecting 'Content-Type' to be present");
        }

        if (contentType == MesosMediaTypes.Protobuf)
        {
            try
            {
                call = MesosCodec.Decode<Call>(body, MesosEncoding.Protobuf);
            }
            catch (MesosDecodeException)
            {
                return (400, "Failed to parse body into Call protobuf");
            }

            if (MesosCodec.MissingRequiredFields(call).Count > 0)
            {
                call = null;
                return (400, "Failed to parse body into Call protobuf");
            }
        }
        else if (contentType == MesosMediaTypes.Json)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                return (400, "Failed to parse body into JSON: " + ex.Message);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (400, "Failed to convert JSON into Call protobuf: Expecting a JSON object");
                }

                try
                {
                    call = MesosCodec.Decode<Call>(StrictJson.Filter(document.RootElement, Call.Descriptor), MesosEncoding.Json);
                }
                catch (MesosDecodeException ex)
                {
                    return (400, "Failed to convert JSON into Call protobuf: " + ex.Message);
                }
            }

            var missing = MesosCodec.MissingRequiredFields(call);
            if (missing.Count > 0)
            {
                call = null;
                return (400, "Failed to convert JSON into Call protobuf: Missing required fields: " + string.Join(", ", missing));
            }
        }
        else
        {
            return (415, $"Expecting 'Content-Type' of {MesosMediaTypes.Json} or {MesosMediaTypes.Protobuf}");
        }

        if (ValidateCall(call) is { } error)
        {
            return (400, "Failed to validate Executor::Call: " + error);
        }

        if (call.Type == Call.Types.Type.Subscribe)
        {
            // An absent Accept allows everything; JSON is preferred, as the agent does.
            if (Accepts(accept, MesosMediaTypes.Json))
            {
                eventEncoding = MesosEncoding.Json;
            }
            else if (Accepts(accept, MesosMediaTypes.Protobuf))
            {
                eventEncoding = MesosEncoding.Protobuf;
            }
            else
            {
                return (406, $"Expecting 'Accept' to allow '{MesosMediaTypes.Protobuf}' or '{MesosMediaTypes.Json}'");
            }
        }
        else if (call.Type == Call.Types.Type.Heartbeat)
        {
            return (202, string.Empty);
        }

        if (call.FrameworkId.Value != _options.FrameworkId)
        {
            return (400, "Framework cannot be found");
        }

        if (call.ExecutorId.Value != _options.ExecutorId)
        {
            return (400, "Executor cannot be found");
        }

        if (call.Type != Call.Types.Type.Subscribe && !Locked(() => _everSubscribed))
        {
            return (403, "Executor is not subscribed");
        }

        return call.Type switch
        {
            Call.Types.Type.Subscribe => (200, string.Empty),
            Call.Types.Type.Update or Call.Types.Type.Message => (202, string.Empty),
            _ => (501, string.Empty),
        };
    }

    private static string? ValidateCall(Call call)
    {
        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        switch (call.Type)
        {
            case Call.Types.Type.Subscribe:
                return call.Subscribe is null ? "Expecting 'subscribe' to be present" : null;
            case Call.Types.Type.Update:
                if (call.Update is null)
                {
                    return "Expecting 'update' to be present";
                }

                var status = call.Update.Status;
                if (!status.HasUuid)
                {
                    return "Expecting 'uuid' to be present";
                }

                if (!IsValidUuid(status.Uuid))
                {
                    return "Not a valid UUID";
                }

                if (status.ExecutorId is not null && status.ExecutorId.Value != call.ExecutorId.Value)
                {
                    return $"ExecutorID in Call: {call.ExecutorId.Value} does not match ExecutorID in TaskStatus: {status.ExecutorId.Value}";
                }

                if (status.Source != TaskStatus.Types.Source.Executor)
                {
                    return $"Received Call from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} with invalid source, expecting 'SOURCE_EXECUTOR'";
                }

                if (status.State == TaskState.TaskStaging)
                {
                    return $"Received TASK_STAGING from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} which is not allowed";
                }

                return null;
            case Call.Types.Type.Message:
                return call.Message is null ? "Expecting 'message' to be present" : null;
            default:
                return null;
        }
    }

    /// <summary>16 bytes with a known UUID version, as stout's UUID::fromBytes requires.</summary>
    private static bool IsValidUuid(ByteString uuid) => uuid.Length == 16 && (uuid[6] >> 4) is >= 1 and <= 5;

    private static bool Accepts(string? accept, string mediaType)
    {
        if (accept is null)
        {
            return true;
        }

        foreach (var item in accept.Split(','))
        {
            var parts = item.Split(';');
            var type = parts[0].Trim();
            var zero = parts.Skip(1).Any(p => p.Trim().Replace(" ", string.Empty, StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            if (zero)
            {
                continue;
            }

            if (type == "*/*" || type.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
                || (type.EndsWith("/*", StringComparison.Ordinal) && mediaType.StartsWith(type[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private void AcceptUpdateLocked(TaskStatus status)
    {
        _updates.Add(status);
        if (_acknowledged.Contains(status.Uuid))
        {
            return;
        }

        _unacknowledged[status.Uuid] = status;
        ScheduleAcknowledgement(status.Uuid);
    }

    private void ScheduleAcknowledgement(ByteString uuid)
    {
        switch (_options.Acknowledgements)
        {
            case AcknowledgementPolicy.Immediate:
                _ = Task.Run(() => AcknowledgeAsync(uuid).AsTask());
                break;
            case AcknowledgementPolicy.Delayed:
                _ = Task.Run(async () =>
                {
                    await Task.Delay(_options.AcknowledgementDelay).ConfigureAwait(false);
                    await AcknowledgeAsync(uuid).ConfigureAwait(false);
                });
                break;
        }
    }

    private async Task StreamAsync(HttpContext context, Call call, MesosEncoding encoding, ReceivedCall received)
    {
        var subscriber = new Subscriber(encoding, context);
        Subscriber? previous;
        lock (_gate)
        {
            _calls.Add(received);
            _subscribes.Add(call);
            _everSubscribed = true;
            previous = _subscriber;
            _subscriber = subscriber;

            // The SUBSCRIBED event first, then whatever the executor carried, as the agent's status update manager
            // takes the unacknowledged updates over (and acknowledges them once stored).
            subscriber.WriteAsync(RecordIOWriter.Frame(MesosCodec.Encode(Subscribed(), encoding)));
            foreach (var update in call.Subscribe.UnacknowledgedUpdates)
            {
                AcceptUpdateLocked(update.Status);
            }

            // Updates seen before the restart but neither carried nor acknowledged: acknowledge them now.
            foreach (var pending in _unacknowledged.Keys.ToArray())
            {
                if (!call.Subscribe.UnacknowledgedUpdates.Any(u => u.Status.Uuid.Equals(pending)))
                {
                    ScheduleAcknowledgement(pending);
                }
            }

            SignalLocked();
        }

        previous?.Close(abort: false);
        context.Response.StatusCode = 200;
        context.Response.ContentType = MesosMediaTypes.Of(encoding);
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var frame in subscriber.Frames.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.Body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The executor went away.
        }
        finally
        {
            lock (_gate)
            {
                if (_subscriber == subscriber)
                {
                    _subscriber = null;
                }

                SignalLocked();
            }
        }
    }

    private Event Subscribed() => new()
    {
        Type = Event.Types.Type.Subscribed,
        Subscribed = new Event.Types.Subscribed
        {
            ExecutorInfo = ExecutorInfo(),
            FrameworkInfo = FrameworkInfo(),
            AgentInfo = new Mesos.V1.AgentInfo { Hostname = "127.0.0.1", Port = _port, Id = new Mesos.V1.AgentID { Value = _options.AgentId } },
            ContainerId = new Mesos.V1.ContainerID { Value = "fake-container" },
        },
    };
}
