using System.IO.Pipelines;
using Mesos.ZooKeeper.Protocol;
using Mesos.ZooKeeper.Tests.Infrastructure;

namespace Mesos.ZooKeeper.Tests.Protocol;

public sealed class FrameReaderTests
{
    private static byte[] Frame(params byte[] body)
    {
        var frame = new byte[4 + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    [Fact]
    public async Task ReadFrame_ManyFramesInOneWrite_ReadsEachInOrder()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame(1).Concat(Frame(2, 2)).Concat(Frame()).Concat(Frame(3, 3, 3)).ToArray());
        await pipe.Writer.CompleteAsync();
        var frames = new FrameReader(pipe.Reader, 1024);

        Assert.Equal(new byte[] { 1 }, await frames.ReadFrameAsync().Within());
        Assert.Equal(new byte[] { 2, 2 }, await frames.ReadFrameAsync().Within());
        Assert.Equal(Array.Empty<byte>(), await frames.ReadFrameAsync().Within());
        Assert.Equal(new byte[] { 3, 3, 3 }, await frames.ReadFrameAsync().Within());
        Assert.Null(await frames.ReadFrameAsync().Within());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(1000)]
    public async Task ReadFrame_BytesArriveInPieces_ReassemblesFrames(int pieceSize)
    {
        var pipe = new Pipe();
        var body = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var stream = Frame(body).Concat(Frame(9)).ToArray();
        var frames = new FrameReader(pipe.Reader, 1024);
        var reading = Task.Run(async () => (await frames.ReadFrameAsync(), await frames.ReadFrameAsync(), await frames.ReadFrameAsync()));

        for (var offset = 0; offset < stream.Length; offset += pieceSize)
        {
            await pipe.Writer.WriteAsync(stream.AsMemory(offset, Math.Min(pieceSize, stream.Length - offset)));
        }

        await pipe.Writer.CompleteAsync();
        var (first, second, end) = await reading.Within();

        Assert.Equal(body, first);
        Assert.Equal(new byte[] { 9 }, second);
        Assert.Null(end);
    }

    [Fact]
    public async Task ReadFrame_LengthPrefixAboveMaximum_FailsAtOnceWithoutAllocating()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Convert.FromHexString("7FFFFFFF" + "0102030405"));
        var frames = new FrameReader(pipe.Reader, maxFrameSize: 4 * 1024 * 1024);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = frames.ReadFrameAsync().AsTask();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // No more bytes will come and the pipe is not completed: only an eager check can end this read.
        var exception = await Assert.ThrowsAsync<ZooKeeperProtocolException>(() => read.Within());
        Assert.Contains("exceeds the maximum of 4194304 bytes", exception.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 256 * 1024);
    }

    [Fact]
    public async Task ReadFrame_HugeLengthBelowMaximum_WaitsForBytesInsteadOfAllocating()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Convert.FromHexString("7FFFFFF0" + "0102030405"));
        var frames = new FrameReader(pipe.Reader, maxFrameSize: int.MaxValue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = frames.ReadFrameAsync().AsTask();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(read.IsCompleted);
        Assert.InRange(allocated, 0, 256 * 1024);
        await pipe.Writer.CompleteAsync();
        var exception = await Assert.ThrowsAsync<ZooKeeperProtocolException>(() => read.Within());
        Assert.Contains("in the middle of a frame", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFrame_NegativeLength_Fails()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Convert.FromHexString("FFFFFFFF"));
        var frames = new FrameReader(pipe.Reader, 1024);

        var exception = await Assert.ThrowsAsync<ZooKeeperProtocolException>(() => frames.ReadFrameAsync().AsTask().Within());

        Assert.Contains("negative length", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024, false)]
    [InlineData(1025, true)]
    public async Task ReadFrame_AtTheMaximum_IsAcceptedAndOneByteMoreIsNot(int length, bool rejected)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame(new byte[length]));
        await pipe.Writer.CompleteAsync();
        var frames = new FrameReader(pipe.Reader, 1024);

        var read = frames.ReadFrameAsync().AsTask();

        if (rejected)
        {
            await Assert.ThrowsAsync<ZooKeeperProtocolException>(() => read.Within());
        }
        else
        {
            Assert.Equal(length, (await read.Within())!.Length);
        }
    }

    [Fact]
    public async Task ReadFrame_StreamEndsInsideLengthPrefix_Fails()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0 });
        await pipe.Writer.CompleteAsync();
        var frames = new FrameReader(pipe.Reader, 1024);

        await Assert.ThrowsAsync<ZooKeeperProtocolException>(() => frames.ReadFrameAsync().AsTask().Within());
    }
}
