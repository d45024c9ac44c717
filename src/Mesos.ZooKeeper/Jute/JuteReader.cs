using System.Buffers.Binary;
using System.Text;

namespace Mesos.ZooKeeper.Jute;

/// <summary>
/// Reads jute records from one complete frame. Every length read from the wire is checked against the
/// bytes actually left in the frame before anything is allocated, so a hostile or corrupt length can
/// only produce a <see cref="ZooKeeperProtocolException"/>, never a large allocation.
/// </summary>
internal ref struct JuteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public JuteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "int"));

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "long"));

    public bool ReadBool() => Take(1, "bool")[0] != 0;

    /// <summary>A jute <c>buffer</c>; length -1 reads as <see langword="null"/>.</summary>
    public byte[]? ReadBuffer()
    {
        var length = ReadLength("buffer");
        return length < 0 ? null : Take(length, "buffer").ToArray();
    }

    /// <summary>A jute <c>ustring</c>; length -1 reads as <see langword="null"/>.</summary>
    public string? ReadString()
    {
        var length = ReadLength("string");
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length, "string"));
    }

    /// <summary>A jute <c>vector&lt;ustring&gt;</c>; count -1 (null) reads as an empty list.</summary>
    public List<string> ReadStringVector()
    {
        var count = ReadLength("vector");
        if (count < 0)
        {
            return [];
        }

        // Each element takes at least its 4-byte length: a count the frame cannot hold is a lie.
        if (count > Remaining / 4)
        {
            throw new ZooKeeperProtocolException(
                $"a vector claims {count} strings but only {Remaining} bytes are left in the frame");
        }

        var items = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(ReadString() ?? string.Empty);
        }

        return items;
    }

    private int ReadLength(string what)
    {
        var length = ReadInt();
        if (length < -1)
        {
            throw new ZooKeeperProtocolException($"a {what} has the invalid length {length}");
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new ZooKeeperProtocolException(
                $"a {what} needs {count} bytes but only {Remaining} are left in the frame (truncated or corrupt record)");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
