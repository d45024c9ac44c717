using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Mesos.ZooKeeper.Protocol;

/// <summary>
/// Splits a byte stream into ZooKeeper frames: a 4-byte big-endian length, then that many bytes.
/// A frame's bytes are only copied out once they have all arrived, and a length beyond
/// <c>maxFrameSize</c> is rejected as soon as its 4 bytes are read, so the memory used is bounded by what
/// the peer actually sent and by the configured maximum — never by the length prefix alone.
/// </summary>
internal sealed class FrameReader(PipeReader reader, int maxFrameSize)
{
    /// <summary>The next frame's body, or <see langword="null"/> when the stream ended cleanly between frames.</summary>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, out var frame))
            {
                reader.AdvanceTo(buffer.Start);
                return frame;
            }

            // Nothing consumed; everything examined: wait for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (buffer.IsEmpty)
                {
                    return null;
                }

                throw new ZooKeeperProtocolException(
                    $"the connection closed in the middle of a frame ({buffer.Length} bytes of it had arrived)");
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("the frame read was cancelled");
            }
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out byte[]? frame)
    {
        frame = null;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length < 0)
        {
            throw new ZooKeeperProtocolException($"a frame has the negative length {length} (corrupt stream or not a ZooKeeper server)");
        }

        if (length > maxFrameSize)
        {
            throw new ZooKeeperProtocolException(
                $"a frame of {length} bytes exceeds the maximum of {maxFrameSize} bytes; raise ZooKeeperClientOptions.MaxFrameSize " +
                "if the server's jute.maxbuffer is larger, otherwise the peer is not a ZooKeeper server");
        }

        if (buffer.Length - 4 < length)
        {
            return false;
        }

        frame = buffer.Slice(4, length).ToArray();
        buffer = buffer.Slice(4 + length);
        return true;
    }
}
