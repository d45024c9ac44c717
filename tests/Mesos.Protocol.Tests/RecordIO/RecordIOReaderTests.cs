using System.Buffers;
using System.IO.Pipelines;
using Mesos.Protocol.RecordIO;

namespace Mesos.Protocol.Tests.RecordIO;

public sealed class RecordIOReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Splits => new() { "whole", "one-byte", "halves", "record-per-read", "random", "three-records-per-read" };

    private static readonly string[] Records =
    [
        "{\"type\":\"SUBSCRIBED\"}",
        "x",
        new string('a', 9),
        new string('b', 10),
        new string('c', 4096),
        "{\"type\":\"HEARTBEAT\"}",
        "日本語 ✓",
    ];

    [Theory]
    [MemberData(nameof(Splits))]
    public async Task EverySplit_YieldsTheSameRecords(string split)
    {
        var stream = Concat(Records.Select(r => RecordIOWriter.Frame(System.Text.Encoding.UTF8.GetBytes(r))));
        var pipe = new Pipe();
        var writing = WriteInChunksAsync(pipe.Writer, stream, Chunks(split, stream.Length));

        var reader = new RecordIOReader(pipe.Reader);
        var read = new List<string>();
        await foreach (var record in reader.ReadAllAsync(Utf8).WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            read.Add(record);
        }

        await writing.WaitAsync(Timeout);
        Assert.Equal(Records, read);
        Assert.Equal(Records.Length, reader.RecordsRead);
    }

    [Fact]
    public async Task Record_IsYieldedBeforeTheNextOneArrives()
    {
        var pipe = new Pipe();
        var reader = new RecordIOReader(pipe.Reader);
        await using var records = reader.ReadAllAsync(Utf8).GetAsyncEnumerator();

        await pipe.Writer.WriteAsync(RecordIOWriter.Frame("first"u8));
        Assert.True(await records.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal("first", records.Current);

        var next = records.MoveNextAsync().AsTask();
        await pipe.Writer.WriteAsync("6\nsec"u8.ToArray());
        Assert.False(next.IsCompleted, "a partial record must not be yielded");
        await pipe.Writer.WriteAsync("ond"u8.ToArray());
        Assert.True(await next.WaitAsync(Timeout));
        Assert.Equal("second", records.Current);
    }

    [Fact]
    public async Task StreamEndingBetweenRecords_EndsCleanly()
    {
        var records = await ReadAllAsync("3\nabc2\nde"u8.ToArray());

        Assert.Equal(["abc", "de"], records);
    }

    [Theory]
    [InlineData("3\nab", RecordIOErrorKind.Truncated, 1)]
    [InlineData("3\nabc12", RecordIOErrorKind.Truncated, 2)]
    [InlineData("x\nab", RecordIOErrorKind.InvalidLength, 1)]
    [InlineData("-1\na", RecordIOErrorKind.InvalidLength, 1)]
    [InlineData("1 \na", RecordIOErrorKind.InvalidLength, 1)]
    [InlineData("\nabc", RecordIOErrorKind.InvalidLength, 1)]
    [InlineData("0\n", RecordIOErrorKind.ZeroLength, 1)]
    [InlineData("00000000001\na", RecordIOErrorKind.LengthLineTooLong, 1)]
    [InlineData("1025\n", RecordIOErrorKind.RecordTooLarge, 1)]
    [InlineData("99999999999999999999\n", RecordIOErrorKind.RecordTooLarge, 1)]
    public async Task MalformedStreams_FailWithTheirKindAndRecordNumber(string input, RecordIOErrorKind kind, int record)
    {
        var ex = await Assert.ThrowsAsync<RecordIOException>(
            () => ReadAllAsync(System.Text.Encoding.UTF8.GetBytes(input), new RecordIOOptions { MaxRecordSize = 1024 }));

        Assert.Equal(kind, ex.Kind);
        Assert.Contains($"record {record}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileLengthPrefix_FailsBeforeBufferingTheRecord()
    {
        // A peer announcing 16 MiB (just under a limit of 16 MiB + 1) and then sending forever must not be read past it;
        // one announcing more than the limit must fail after the length line alone.
        var endless = new EndlessStream("20000000\n"u8.ToArray());
        await using var reader = RecordIOReader.Create(endless, new RecordIOOptions { MaxRecordSize = 16 * 1024 * 1024 });

        var ex = await Assert.ThrowsAsync<RecordIOException>(async () =>
        {
            await foreach (var unused in reader.ReadAllAsync(Utf8).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
            }
        });

        Assert.Equal(RecordIOErrorKind.RecordTooLarge, ex.Kind);
        Assert.True(endless.BytesRead < 64 * 1024, $"read {endless.BytesRead} bytes before rejecting the length");
    }

    [Fact]
    public async Task ReadRecordAsync_ReturnsRecordsThenNull()
    {
        await using var reader = RecordIOReader.Create(new MemoryStream("2\nhi3\nyou"u8.ToArray()));

        Assert.Equal("hi"u8.ToArray(), await reader.ReadRecordAsync());
        Assert.Equal("you"u8.ToArray(), await reader.ReadRecordAsync());
        Assert.Null(await reader.ReadRecordAsync());
    }

    [Fact]
    public void Writer_RejectsEmptyRecords()
    {
        Assert.Throws<ArgumentException>(() => RecordIOWriter.Frame(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Writer_FramesWithDecimalLengthAndNewline()
    {
        Assert.Equal("5\nhello"u8.ToArray(), RecordIOWriter.Frame("hello"u8));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes("1000\n" + new string('z', 1000)), RecordIOWriter.Frame(System.Text.Encoding.ASCII.GetBytes(new string('z', 1000))));
    }

    internal static string Utf8(in ReadOnlySequence<byte> record) => System.Text.Encoding.UTF8.GetString(record.ToArray());

    private static async Task<List<string>> ReadAllAsync(byte[] input, RecordIOOptions? options = null)
    {
        await using var reader = RecordIOReader.Create(new MemoryStream(input), options);
        var list = new List<string>();
        await foreach (var record in reader.ReadAllAsync(Utf8).WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            list.Add(record);
        }

        return list;
    }

    private static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    private static IEnumerable<int> Chunks(string split, int total)
    {
        var random = new Random(42);
        var frames = Records.Select(r => RecordIOWriter.Frame(System.Text.Encoding.UTF8.GetBytes(r)).Length).ToArray();
        return split switch
        {
            "whole" => [total],
            "one-byte" => Enumerable.Repeat(1, total),
            "halves" => [total / 2, total - (total / 2)],
            "record-per-read" => frames,
            "three-records-per-read" => frames.Chunk(3).Select(c => c.Sum()),
            "random" => RandomChunks(random, total),
            _ => throw new ArgumentOutOfRangeException(nameof(split)),
        };
    }

    private static IEnumerable<int> RandomChunks(Random random, int total)
    {
        while (total > 0)
        {
            var n = Math.Min(total, random.Next(1, 300));
            total -= n;
            yield return n;
        }
    }

    private static async Task WriteInChunksAsync(PipeWriter writer, byte[] data, IEnumerable<int> chunks)
    {
        var offset = 0;
        foreach (var size in chunks)
        {
            await writer.WriteAsync(data.AsMemory(offset, size));
            offset += size;
        }

        await writer.CompleteAsync();
    }

    /// <summary>A stream that starts with a prefix and then never ends, counting what was read from it.</summary>
    private sealed class EndlessStream(byte[] prefix) : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = 0;
            for (; n < count; n++)
            {
                buffer[offset + n] = BytesRead + n < prefix.Length ? prefix[BytesRead + n] : (byte)'a';
            }

            BytesRead += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
