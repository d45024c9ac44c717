using System.Buffers;
using System.Buffers.Text;

namespace Mesos.Protocol.RecordIO;

/// <summary>Writes RecordIO records: the record's length in decimal ASCII, a newline, then its bytes.</summary>
public static class RecordIOWriter
{
    // 10 digits hold any int length, plus the newline.
    private const int MaxHeaderSize = 11;

    /// <summary>Writes one record to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The record is empty: RecordIO has no zero-length records.</exception>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> record)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteHeader(output, record.Length);
        record.CopyTo(output.GetSpan(record.Length));
        output.Advance(record.Length);
    }

    /// <summary>Writes the length line of a record whose <paramref name="length"/> bytes the caller writes next.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, int length)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (length <= 0)
        {
            throw new ArgumentException("A RecordIO record must hold at least one byte", nameof(length));
        }

        var span = output.GetSpan(MaxHeaderSize);
        Utf8Formatter.TryFormat(length, span, out var written);
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Frames one record as a new array (length line and bytes).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> record)
    {
        var buffer = new ArrayBufferWriter<byte>(record.Length + MaxHeaderSize);
        Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one record to <paramref name="stream"/> in a single write.</summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Frame(record.Span), cancellationToken).ConfigureAwait(false);
    }
}
