using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Mesos.Protocol.Bench;

/// <summary>
/// Decode throughput of a realistic RecordIO event stream (500 UPDATE + 50 OFFERS events of 50 offers).
/// One operation = the whole stream. Baselines in the same run: RecordIO framing alone (the floor), for JSON
/// Google.Protobuf's own JsonParser (the obvious alternative to our transcoder), and for protobuf Google.Protobuf's
/// parser on records already split into arrays, and a deep copy of the decoded events: the cost of building the
/// generated message objects alone, the ceiling of any decoder that returns them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class DecodeBenchmarks
{
    private static readonly JsonParser GoogleJsonParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private byte[] _json = [];
    private byte[] _protobuf = [];
    private byte[][] _protobufRecords = [];
    private SchedulerEvent[] _decoded = [];

    [GlobalSetup]
    public void Setup()
    {
        _json = EventStreams.Build(MesosEncoding.Json);
        _protobuf = EventStreams.Build(MesosEncoding.Protobuf);
        _protobufRecords = SplitRecords(_protobuf);
        _decoded = [.. _protobufRecords.Select(r => SchedulerEvent.Parser.ParseFrom(r))];
        ThroughputConfig.StreamBytes["Json"] = _json.Length;
        ThroughputConfig.StreamBytes["Protobuf"] = _protobuf.Length;
        Console.WriteLine($"// stream sizes: json={_json.Length} bytes, protobuf={_protobuf.Length} bytes, events={EventStreams.EventCount}");
    }

    [Benchmark(Description = "Json: RecordIO framing only")]
    public Task<int> JsonFramingOnly() => ReadAsync(_json, static (in ReadOnlySequence<byte> r) => (int)r.Length);

    [Benchmark(Description = "Json: MesosCodec")]
    public Task<int> JsonMesosCodec() => ReadAsync(_json, static (in ReadOnlySequence<byte> r) => (int)MesosCodec.Decode<SchedulerEvent>(r, MesosEncoding.Json).Type);

    [Benchmark(Description = "Json: Google.Protobuf JsonParser")]
    public Task<int> JsonGoogleParser() => ReadAsync(_json, static (in ReadOnlySequence<byte> r) =>
        (int)GoogleJsonParser.Parse<SchedulerEvent>(System.Text.Encoding.UTF8.GetString(r.ToArray())).Type);

    [Benchmark(Description = "Protobuf: RecordIO framing only")]
    public Task<int> ProtobufFramingOnly() => ReadAsync(_protobuf, static (in ReadOnlySequence<byte> r) => (int)r.Length);

    [Benchmark(Description = "Protobuf: MesosCodec")]
    public Task<int> ProtobufMesosCodec() => ReadAsync(_protobuf, static (in ReadOnlySequence<byte> r) => (int)MesosCodec.Decode<SchedulerEvent>(r, MesosEncoding.Protobuf).Type);

    [Benchmark(Description = "Protobuf: Google.Protobuf ParseFrom(byte[]), records split beforehand")]
    public int ProtobufGoogleParserOnArrays()
    {
        var total = 0;
        foreach (var record in _protobufRecords)
        {
            total += (int)SchedulerEvent.Parser.ParseFrom(record).Type;
        }

        return total;
    }

    // No parsing at all: a deep copy allocates the same message objects (strings and bytes are shared, not copied),
    // so no decoder that returns these generated messages can run faster than this over the same stream.
    [Benchmark(Description = "Protobuf: Clone() of the decoded events (building the messages only, strings shared)")]
    public int ProtobufBuildingOnly()
    {
        var total = 0;
        foreach (var decoded in _decoded)
        {
            total += (int)decoded.Clone().Type;
        }

        return total;
    }

    private static byte[][] SplitRecords(byte[] stream) => SplitRecordsAsync(stream).GetAwaiter().GetResult();

    private static async Task<byte[][]> SplitRecordsAsync(byte[] stream)
    {
        var records = new List<byte[]>();
        await using var reader = RecordIOReader.Create(new MemoryStream(stream, writable: false));
        await foreach (var record in reader.ReadAllAsync(static (in ReadOnlySequence<byte> r) => r.ToArray()))
        {
            records.Add(record);
        }

        return [.. records];
    }

    private static async Task<int> ReadAsync(byte[] stream, RecordDecoder<int> decode)
    {
        await using var reader = RecordIOReader.Create(new MemoryStream(stream, writable: false));
        var total = 0;
        await foreach (var n in reader.ReadAllAsync(decode))
        {
            total += n;
        }

        return total;
    }
}
