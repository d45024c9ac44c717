using System.Buffers.Binary;
using System.Text;

namespace Mesos.ZooKeeper.Jute;

/// <summary>
/// Writes one length-prefixed jute record (big-endian, as ZooKeeper's <c>BinaryOutputArchive</c> does):
/// the first four bytes are reserved for the frame length and filled in by <see cref="ToFrame"/>.
/// </summary>
internal sealed class JuteWriter
{
    private byte[] _buffer;
    private int _length = 4;

    public JuteWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(initialCapacity, 16)];

    /// <summary>Bytes written after the length prefix.</summary>
    public int BodyLength => _length - 4;

    public JuteWriter WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        return this;
    }

    public JuteWriter WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
        return this;
    }

    public JuteWriter WriteBool(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        return this;
    }

    /// <summary>A jute <c>buffer</c>: length then bytes.</summary>
    public JuteWriter WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        value.CopyTo(Reserve(value.Length));
        return this;
    }

    /// <summary>A jute <c>ustring</c>: UTF-8 length then bytes; <see langword="null"/> is written as length -1.</summary>
    public JuteWriter WriteString(string? value)
    {
        if (value is null)
        {
            return WriteInt(-1);
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
        return this;
    }

    /// <summary>A jute <c>vector&lt;ustring&gt;</c>: count then each string.</summary>
    public JuteWriter WriteStringVector(IReadOnlyCollection<string> values)
    {
        WriteInt(values.Count);
        foreach (var value in values)
        {
            WriteString(value);
        }

        return this;
    }

    /// <summary>The whole frame, with the length prefix set to the body length.</summary>
    public ReadOnlyMemory<byte> ToFrame()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer, BodyLength);
        return _buffer.AsMemory(0, _length);
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
