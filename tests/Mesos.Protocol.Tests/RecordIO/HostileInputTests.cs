using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using ExecutorEvent = Mesos.V1.Executor.Event;

namespace Mesos.Protocol.Tests.RecordIO;

/// <summary>Random and mutated streams end in a typed error or in records, never a crash, a hang or a huge allocation.</summary>
public sealed class HostileInputTests
{
    private static readonly byte[][] Recorded = Directory
        .EnumerateFiles(Path.Combine(RepoPaths.Recordings, "executor"), "*.events.recordio")
        .Order()
        .Select(File.ReadAllBytes)
        .ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task MutatedRecordedStreams_FailOnlyWithTypedErrors(int seed)
    {
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 400; i++)
        {
            var source = Recorded[random.Next(Recorded.Length)];
            var encoding = source[source.AsSpan().IndexOf((byte)'\n') + 1] == (byte)'{' ? MesosEncoding.Json : MesosEncoding.Protobuf;
            var mutated = Mutate(random, source);
            var outcome = await DecodeAllAsync(mutated, encoding);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Each outcome is a clean end or a typed error; an unexpected exception type would have escaped above.
        Assert.True(outcomes.Keys.All(k => k is "ok" or nameof(RecordIOException) or nameof(MesosDecodeException)), string.Join(", ", outcomes));
        Assert.True(outcomes.Count > 1, "the mutations should produce both clean reads and errors");
    }

    [Fact]
    public async Task RandomBytes_FailOnlyWithTypedErrors()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(1, 2000)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0)
            {
                // a plausible length line in front of garbage
                bytes = [.. System.Text.Encoding.ASCII.GetBytes($"{random.Next(1, 3000)}\n"), .. bytes];
            }

            var outcome = await DecodeAllAsync(bytes, random.Next(2) == 0 ? MesosEncoding.Json : MesosEncoding.Protobuf);
            Assert.Contains(outcome, new[] { "ok", nameof(RecordIOException), nameof(MesosDecodeException) });
        }
    }

    private static async Task<string> DecodeAllAsync(byte[] stream, MesosEncoding encoding)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var reader = RecordIOReader.Create(new MemoryStream(stream), new RecordIOOptions { MaxRecordSize = 64 * 1024 });
        try
        {
            await foreach (var unused in reader.ReadAllAsync((in System.Buffers.ReadOnlySequence<byte> r) => MesosCodec.Decode<ExecutorEvent>(r, encoding))
                               .WithCancellation(timeout.Token))
            {
            }

            return "ok";
        }
        catch (RecordIOException)
        {
            return nameof(RecordIOException);
        }
        catch (MesosDecodeException)
        {
            return nameof(MesosDecodeException);
        }
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = source.ToArray();
        switch (random.Next(4))
        {
            case 0: // flip bytes
                for (var i = 0; i < 1 + random.Next(5); i++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1: // truncate
                return bytes[..random.Next(bytes.Length)];
            case 2: // insert garbage
                var at = random.Next(bytes.Length);
                var garbage = new byte[random.Next(1, 20)];
                random.NextBytes(garbage);
                return [.. bytes[..at], .. garbage, .. bytes[at..]];
            default: // duplicate a slice
                var start = random.Next(bytes.Length);
                var length = random.Next(bytes.Length - start);
                return [.. bytes, .. bytes.AsSpan(start, length).ToArray()];
        }
    }
}
