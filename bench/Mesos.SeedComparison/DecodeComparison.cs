using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Event = Mesos.V1.Executor.Event;

namespace Mesos.SeedComparison;

/// <summary>How one way of splitting the recorded stream into reads came out for each parser.</summary>
internal sealed record SplitResult(string Name, int Expected, int Ours, string? OursError, int SeedDelivered, int SeedErrors, string? SeedFirstError);

/// <summary>Decode throughput (records per second: the first, cold pass; median and best of the timed passes after warm-up) and the split cases.</summary>
internal sealed record DecodeResult(
    long StreamBytes,
    int Records,
    int Repetitions,
    double OursCold,
    double OursMedian,
    double OursBest,
    double SeedCold,
    double SeedMedian,
    double SeedBest,
    int SeedDeliveredPerPass,
    int SeedErrorsPerPass,
    string SeedFirstError,
    IReadOnlyList<SplitResult> Splits);

/// <summary>
/// The recorded executor event streams (JSON, RecordIO), decoded by ours (<see cref="RecordIOReader"/> +
/// <see cref="MesosCodec"/>) in this process and by the seed's own parser in node (bench/seed-comparison/seed-decode.js),
/// both fed the same chunks.
/// </summary>
internal static class DecodeComparison
{
    private const int MinWarmups = 5;
    private const int MaxWarmups = 500;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(5);

    public const string OneRecordPerRead = "one record per read";

    public const string NonAsciiCase = "one record per read, one LAUNCH's task name made non-ASCII (\"tâche-t0\")";

    public static async Task<DecodeResult> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(settings.Recordings, "json-*.events.recordio").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No json-*.events.recordio in {settings.Recordings}; pass the executor recordings folder with --recordings");
        }

        var small = files.SelectMany(File.ReadAllBytes).ToArray();
        var copies = (settings.StreamBytes + small.Length - 1) / small.Length;
        var big = new byte[small.Length * copies];
        for (var i = 0; i < copies; i++)
        {
            small.CopyTo(big, i * small.Length);
        }

        var smallRecords = RecordEnds(small);
        var bigRecords = RecordEnds(big);
        var splits = Splits(small, smallRecords);
        var unicode = WithNonAsciiTaskName(small, smallRecords);
        splits.Add((NonAsciiCase, unicode, RecordEnds(unicode)));

        // Ours: the split cases, then the timed passes over the big stream read one record per read (the only way
        // the seed's parser works, so both do the same work).
        var oursSplits = new List<(int Count, string? Error)>();
        foreach (var (_, stream, boundaries) in splits)
        {
            oursSplits.Add(await DecodeOursAsync(stream, boundaries, cancellationToken));
        }

        // The first pass is the cold figure (what an executor that decodes a few events sees); then warm-up passes
        // for at least WarmupTime (tiered JIT with dynamic PGO, like V8's optimizing tier, needs many passes to reach
        // its steady state), then the timed passes.
        var oursRates = new List<double>();
        double? oursCold = null;
        var warmup = Stopwatch.StartNew();
        for (var pass = 0; pass < MaxWarmups; pass++)
        {
            var rate = await TimeOursAsync(big, bigRecords, cancellationToken);
            oursCold ??= rate;
            if (pass + 1 >= MinWarmups && warmup.Elapsed >= WarmupTime)
            {
                break;
            }
        }

        for (var i = 0; i < settings.DecodeRepetitions; i++)
        {
            oursRates.Add(await TimeOursAsync(big, bigRecords, cancellationToken));
        }

        // The seed, in node.
        var work = Path.Combine(settings.WorkDirectory, "decode");
        Directory.CreateDirectory(work);
        var smallPath = Path.Combine(work, "small.recordio");
        var bigPath = Path.Combine(work, "big.recordio");
        var planPath = Path.Combine(work, "plan.json");
        var resultPath = Path.Combine(work, "result.json");
        await File.WriteAllBytesAsync(smallPath, small, cancellationToken);
        await File.WriteAllBytesAsync(bigPath, big, cancellationToken);
        var streamPaths = new Dictionary<byte[], string>(ReferenceEqualityComparer.Instance) { [small] = smallPath };
        foreach (var (_, stream, _) in splits)
        {
            if (!streamPaths.ContainsKey(stream))
            {
                streamPaths[stream] = Path.Combine(work, $"case-{streamPaths.Count}.recordio");
                await File.WriteAllBytesAsync(streamPaths[stream], stream, cancellationToken);
            }
        }

        await WritePlanAsync(planPath, bigPath, splits.Select(c => (c.Name, streamPaths[c.Stream], c.Boundaries)).ToList(), bigRecords, settings.DecodeRepetitions, cancellationToken);
        await RunNodeAsync(settings, [Path.Combine(settings.ScriptsDirectory, "seed-decode.js"), settings.SeedModule, planPath, resultPath], cancellationToken);

        using var result = JsonDocument.Parse(await File.ReadAllBytesAsync(resultPath, cancellationToken));
        var seedSplits = result.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        var passes = result.RootElement.GetProperty("throughput").EnumerateArray().ToArray();
        // Records handled: delivered to the application, or JSON.parsed and then lost in its handler lookup
        // (LAUNCH_GROUP). Either way the seed did the parsing work for them.
        static double Rate(JsonElement pass) =>
            (pass.GetProperty("delivered").GetInt32() + pass.GetProperty("errors").GetInt32()) / pass.GetProperty("seconds").GetDouble();
        var seedRates = passes.Select(Rate).ToList();
        var seedCold = Rate(result.RootElement.GetProperty("cold"));

        var results = new List<SplitResult>();
        for (var i = 0; i < splits.Count; i++)
        {
            var seed = seedSplits[i];
            results.Add(new SplitResult(
                splits[i].Name,
                RecordEnds(splits[i].Stream).Length,
                oursSplits[i].Count,
                oursSplits[i].Error,
                seed.GetProperty("delivered").GetInt32(),
                seed.GetProperty("errors").GetInt32(),
                seed.GetProperty("firstError").GetString()));
        }

        return new DecodeResult(
            big.Length,
            bigRecords.Length,
            settings.DecodeRepetitions,
            oursCold ?? double.NaN,
            Statistics.Median(oursRates),
            oursRates.Max(),
            seedCold,
            Statistics.Median(seedRates),
            seedRates.Max(),
            passes[0].GetProperty("delivered").GetInt32(),
            passes[0].GetProperty("errors").GetInt32(),
            passes[0].GetProperty("firstError").GetString() ?? string.Empty,
            results);
    }

    private static async Task<double> TimeOursAsync(byte[] stream, int[] boundaries, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (count, error) = await DecodeOursAsync(stream, boundaries, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return error is null && count == boundaries.Length
            ? count / seconds
            : throw new InvalidOperationException($"Our decoder read {count} of {boundaries.Length} records: {error}");
    }

    private static async Task<(int Count, string? Error)> DecodeOursAsync(byte[] stream, int[] boundaries, CancellationToken cancellationToken)
    {
        await using var reader = RecordIOReader.Create(new ChunkedStream(stream, boundaries));
        var count = 0;
        try
        {
            await foreach (var _ in reader.ReadAllAsync(static (in ReadOnlySequence<byte> record) => MesosCodec.Decode<Event>(record, MesosEncoding.Json), cancellationToken))
            {
                count++;
            }
        }
        catch (Exception ex) when (ex is RecordIOException or MesosDecodeException)
        {
            return (count, ex.Message);
        }

        return (count, null);
    }

    /// <summary>The ways the transport may split the stream into reads; boundaries are exclusive ends of reads.</summary>
    private static List<(string Name, byte[] Stream, int[] Boundaries)> Splits(byte[] stream, int[] recordEnds)
    {
        var halves = new List<int>();
        var start = 0;
        foreach (var end in recordEnds)
        {
            var payload = Array.IndexOf(stream, (byte)'\n', start) + 1;
            halves.Add(payload + ((end - payload) / 2));
            halves.Add(end);
            start = end;
        }

        static int[] Fixed(int length, int size) =>
            Enumerable.Range(1, (length + size - 1) / size).Select(i => Math.Min(i * size, length)).ToArray();

        return
        [
            (OneRecordPerRead, stream, recordEnds),
            ("each record over two reads", stream, halves.ToArray()),
            ("16 KiB reads", stream, Fixed(stream.Length, 16384)),
            ("4 KiB reads", stream, Fixed(stream.Length, 4096)),
            ("1460 B reads (one TCP segment)", stream, Fixed(stream.Length, 1460)),
            ("64 B reads", stream, Fixed(stream.Length, 64)),
            ("whole stream in one read", stream, [stream.Length]),
        ];
    }

    /// <summary>
    /// The recorded stream with the first LAUNCH's task name "t0" changed to "tâche-t0" and that record's length
    /// prefix recomputed (in bytes, as RecordIO counts): a task name any framework may send.
    /// </summary>
    private static byte[] WithNonAsciiTaskName(byte[] stream, int[] recordEnds)
    {
        var output = new List<byte>(stream.Length + 16);
        var changed = false;
        var start = 0;
        foreach (var end in recordEnds)
        {
            var payloadStart = Array.IndexOf(stream, (byte)'\n', start) + 1;
            var json = System.Text.Encoding.UTF8.GetString(stream, payloadStart, end - payloadStart);
            const string launch = "{\"type\":\"LAUNCH\",\"launch\":{\"task\":{\"name\":\"";
            if (!changed && json.StartsWith(launch, StringComparison.Ordinal))
            {
                json = launch + "tâche-" + json[launch.Length..];
                changed = true;
            }

            var payload = System.Text.Encoding.UTF8.GetBytes(json);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            output.AddRange(payload);
            start = end;
        }

        return changed ? output.ToArray() : throw new InvalidOperationException("The recordings hold no LAUNCH event to give a non-ASCII task name");
    }

    /// <summary>The end offset of every record (a plain scan of the length prefixes; the recordings are well formed).</summary>
    private static int[] RecordEnds(byte[] stream)
    {
        var ends = new List<int>();
        var position = 0;
        while (position < stream.Length)
        {
            var newline = Array.IndexOf(stream, (byte)'\n', position);
            var length = int.Parse(stream.AsSpan(position, newline - position), provider: System.Globalization.CultureInfo.InvariantCulture);
            position = newline + 1 + length;
            ends.Add(position);
        }

        return ends.ToArray();
    }

    private static async Task WritePlanAsync(
        string path, string bigPath, List<(string Name, string Stream, int[] Boundaries)> splits, int[] bigRecords, int repetitions, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await using var json = new Utf8JsonWriter(file);
        json.WriteStartObject();
        json.WriteString("bigStream", bigPath);
        json.WriteNumber("minWarmups", MinWarmups);
        json.WriteNumber("maxWarmups", MaxWarmups);
        json.WriteNumber("warmupSeconds", WarmupTime.TotalSeconds);
        json.WriteNumber("repetitions", repetitions);
        json.WriteStartArray("cases");
        foreach (var (name, stream, boundaries) in splits)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("stream", stream);
            WriteArray(json, "boundaries", boundaries);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteArray(json, "throughputBoundaries", bigRecords);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);

        static void WriteArray(Utf8JsonWriter json, string name, int[] values)
        {
            json.WriteStartArray(name);
            foreach (var v in values)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
        }
    }

    private static async Task RunNodeAsync(Settings settings, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.NodePath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {settings.NodePath}");
        var stdout = node.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await node.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync(CancellationToken.None);
            }
        }

        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"The seed decode driver exited with {node.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
