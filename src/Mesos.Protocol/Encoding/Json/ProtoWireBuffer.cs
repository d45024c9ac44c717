using System.Buffers.Binary;

namespace Mesos.Protocol.Encoding.Json;

/// <summary>
/// A growable buffer that writes the protobuf wire format. Length-delimited values reserve one length byte and
/// move their content only in the rare case it outgrows it, so nested messages need one pass.
/// </summary>
internal sealed class ProtoWireBuffer
{
    private const int ShrinkAbove = 1024 * 1024;
    private byte[] _buffer = new byte[4096];
    private int _position;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _position);

    public void Reset()
    {
        _position = 0;
        if (_buffer.Length > ShrinkAbove)
        {
            _buffer = new byte[4096];
        }
    }

    public void WriteTag(int fieldNumber, WireType wireType) => WriteVarint(((uint)fieldNumber << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    public void WriteFixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteLengthDelimited(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>A span of at least <paramref name="size"/> bytes to fill, then <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        Ensure(size);
        return _buffer.AsSpan(_position);
    }

    public void Advance(int count) => _position += count;

    /// <summary>Reserves the one-byte length of a nested value; returns where its content starts.</summary>
    public int BeginLengthDelimited()
    {
        Ensure(1);
        _position++;
        return _position;
    }

    public void EndLengthDelimited(int contentStart)
    {
        var length = _position - contentStart;
        var lengthSize = VarintSize((uint)length);
        if (lengthSize > 1)
        {
            Ensure(lengthSize - 1);
            Buffer.BlockCopy(_buffer, contentStart, _buffer, contentStart + lengthSize - 1, length);
            _position += lengthSize - 1;
        }

        var at = contentStart - 1;
        var value = (uint)length;
        while (value >= 0x80)
        {
            _buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[at] = (byte)value;
    }

    private static int VarintSize(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    private void Ensure(int size)
    {
        if (_buffer.Length - _position >= size)
        {
            return;
        }

        var newSize = Math.Max(_buffer.Length * 2, _position + size);
        Array.Resize(ref _buffer, newSize);
    }
}

internal enum WireType : uint
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
