using System.Buffers;
using System.Text.Json;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorEvent = Mesos.V1.Executor.Event;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Mesos.Protocol.Tests.Encoding;

/// <summary>Every record a real Mesos 1.12 agent and master sent (shared/mesos-recordings) decodes and re-encodes.</summary>
public sealed class RecordingReplayTests
{
    public static TheoryData<string> EventStreams()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Recordings, "*.recordio", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(RepoPaths.Recordings, file));
        }

        return data;
    }

    public static TheoryData<string> CallLogs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Recordings, "executor"), "*.calls.jsonl").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EventStreams))]
    public async Task RecordedEventStream_DecodesAndReencodesInBothEncodings(string relativePath)
    {
        var path = Path.Combine(RepoPaths.Recordings, relativePath);
        var encoding = relativePath.Contains("protobuf", StringComparison.Ordinal) ? MesosEncoding.Protobuf : MesosEncoding.Json;
        var isScheduler = relativePath.StartsWith("scheduler", StringComparison.Ordinal);

        await using var stream = File.OpenRead(path);
        await using var reader = RecordIOReader.Create(stream);
        var count = 0;
        await foreach (var record in reader.ReadAllAsync(static (in ReadOnlySequence<byte> r) => r.ToArray()))
        {
            IMessage decoded = isScheduler
                ? MesosCodec.Decode<SchedulerEvent>(record, encoding)
                : MesosCodec.Decode<ExecutorEvent>(record, encoding);
            var type = (int)decoded.Descriptor.FindFieldByName("type").Accessor.GetValue(decoded);
            Assert.NotEqual(0, type); // UNKNOWN would mean the type name was not ours

            foreach (var target in new[] { MesosEncoding.Json, MesosEncoding.Protobuf })
            {
                var bytes = MesosCodec.Encode(decoded, target);
                IMessage again = isScheduler
                    ? MesosCodec.Decode<SchedulerEvent>(bytes, target)
                    : MesosCodec.Decode<ExecutorEvent>(bytes, target);
                Assert.Equal(decoded, again);
            }

            if (encoding == MesosEncoding.Json)
            {
                // Nothing the agent wrote was dropped: our JSON has the same content as the agent's.
                AssertSameJson(record, MesosCodec.Encode(decoded, MesosEncoding.Json));
            }

            count++;
        }

        Assert.True(count >= 3, $"{relativePath} should hold several events, found {count}");
    }

    [Theory]
    [MemberData(nameof(CallLogs))]
    public void RecordedCalls_AcceptedByTheAgent_DecodeToCompleteCalls(string fileName)
    {
        var accepted = 0;
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Recordings, "executor", fileName)))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("request_body", out var body) || !root.TryGetProperty("status", out var status)
                || status.GetInt32() is not (200 or 202))
            {
                continue;
            }

            // SUBSCRIBE lines were logged without request headers: their bodies are JSON text or base64 protobuf.
            var contentType = root.TryGetProperty("request_headers", out var headers) && headers.TryGetProperty("Content-Type", out var ct)
                ? ct.GetString()
                : body.GetString()!.StartsWith('{') ? MesosMediaTypes.Json : MesosMediaTypes.Protobuf;
            Assert.True(MesosMediaTypes.TryParse(contentType, out var encoding));
            var bytes = encoding == MesosEncoding.Json
                ? System.Text.Encoding.UTF8.GetBytes(body.GetString()!)
                : Convert.FromBase64String(body.GetString()!);
            var call = MesosCodec.Decode<ExecutorCall>(bytes, encoding);

            Assert.Empty(MesosCodec.MissingRequiredFields(call));
            Assert.NotEqual(ExecutorCall.Types.Type.Unknown, call.Type);
            accepted++;
        }

        Assert.True(accepted > 0);
    }

    private static void AssertSameJson(byte[] expected, byte[] actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement), $"expected {System.Text.Encoding.UTF8.GetString(expected)}\nactual   {System.Text.Encoding.UTF8.GetString(actual)}");
    }
}
