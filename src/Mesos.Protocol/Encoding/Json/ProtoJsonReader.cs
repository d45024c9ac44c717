using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mesos.Protocol.Encoding.Json;

/// <summary>
/// Reads Mesos JSON by transcoding it straight into the protobuf wire format (one pass over
/// <see cref="Utf8JsonReader"/>, no intermediate DOM), then lets the generated parser build the message.
/// Lenient like Mesos' own reader: proto or camelCase names, unknown fields and unknown enum names skipped,
/// integers as numbers or strings, doubles also as "NaN"/"Infinity", bytes as standard or URL-safe base64.
/// </summary>
internal static class ProtoJsonReader
{
    private const int MaxNameLength = 128;

    [ThreadStatic]
    private static ProtoWireBuffer? t_buffer;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static T Decode<T>(in ReadOnlySequence<byte> json)
        where T : IMessage<T>, new()
    {
        var buffer = t_buffer ??= new ProtoWireBuffer();
        buffer.Reset();
        var descriptor = MesosMessageDescriptors<T>.Descriptor;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new MesosDecodeException($"Invalid JSON for {descriptor.FullName}: expected a JSON object");
            }

            ReadMessage(ref reader, MessagePlan.For(descriptor), buffer);
            if (reader.Read())
            {
                throw new MesosDecodeException($"Invalid JSON for {descriptor.FullName}: unexpected {reader.TokenType} after the object");
            }

            return MesosCodec.ParserCache<T>.Parser.ParseFrom(buffer.Written);
        }
        catch (JsonException ex)
        {
            throw new MesosDecodeException($"Invalid JSON for {descriptor.FullName}: {ex.Message}", ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MesosDecodeException($"Invalid JSON for {descriptor.FullName}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports text that is not UTF-8 this way when a name or value is unescaped.
            throw new MesosDecodeException($"Invalid JSON for {descriptor.FullName}: {ex.Message}", ex);
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, MessagePlan plan, ProtoWireBuffer output)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // A property name; a name longer than any field's cannot be one.
            FieldPlan? field = null;
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                plan.TryGetField(reader.ValueSpan, out field);
            }
            else
            {
                field = FindEscapedName(ref reader, plan);
            }

            reader.Read();
            if (field is null)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (field.Field.IsMap)
            {
                ReadMap(ref reader, field, output);
                continue;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (!field.Field.IsRepeated)
                {
                    throw Mismatch(field, ref reader, "a single value");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        WriteValue(ref reader, field, output);
                    }
                }

                continue;
            }

            // Mesos' reader also takes a single value for a repeated field.
            WriteValue(ref reader, field, output);
        }
    }

    // Mesos writes a proto map as a JSON object; every map in the v1 schema has string keys.
    private static void ReadMap(ref Utf8JsonReader reader, FieldPlan field, ProtoWireBuffer output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mismatch(field, ref reader, "an object (a map)");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            output.WriteTag(field.Number, WireType.LengthDelimited);
            var entry = output.BeginLengthDelimited();
            output.WriteTag(1, WireType.LengthDelimited);
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                output.WriteLengthDelimited(reader.ValueSpan);
            }
            else
            {
                WithUnescaped(ref reader, output, static (bytes, o) => o.WriteLengthDelimited(bytes));
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Null)
            {
                WriteValue(ref reader, field.MapValue, output);
            }

            output.EndLengthDelimited(entry);
        }
    }

    // Rare: a name with escapes, or split across buffer segments. Kept apart so the hot loop has no stackalloc.
    private static FieldPlan? FindEscapedName(ref Utf8JsonReader reader, MessagePlan plan)
    {
        if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > MaxNameLength)
        {
            return null;
        }

        Span<char> name = stackalloc char[MaxNameLength];
        var length = reader.CopyString(name);
        return plan.TryGetField(name[..length], out var field) ? field : null;
    }

    private static void WriteValue(ref Utf8JsonReader reader, FieldPlan field, ProtoWireBuffer output)
    {
        switch (field.Type)
        {
            case FieldType.Message:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Mismatch(field, ref reader, "an object");
                }

                output.WriteTag(field.Number, WireType.LengthDelimited);
                var start = output.BeginLengthDelimited();
                ReadMessage(ref reader, field.Message, output);
                output.EndLengthDelimited(start);
                return;

            case FieldType.String:
                ExpectString(ref reader, field);
                output.WriteTag(field.Number, WireType.LengthDelimited);
                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    // Copied as is, so check here what unescaping would have checked.
                    if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
                    {
                        throw new MesosDecodeException($"JSON field '{field.Field.FullName}' is not valid UTF-8 text");
                    }

                    output.WriteLengthDelimited(reader.ValueSpan);
                }
                else
                {
                    WithUnescaped(ref reader, output, static (bytes, o) => o.WriteLengthDelimited(bytes));
                }

                return;

            case FieldType.Bytes:
                ExpectString(ref reader, field);
                WriteBase64(ref reader, field, output);
                return;

            case FieldType.Enum:
                WriteEnum(ref reader, field, output);
                return;

            case FieldType.Bool:
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint(ReadBool(ref reader, field) ? 1UL : 0UL);
                return;

            case FieldType.Int32:
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint((ulong)(long)checked((int)ReadInt64(ref reader, field)));
                return;
            case FieldType.SInt32:
                var s32 = checked((int)ReadInt64(ref reader, field));
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint((uint)((s32 << 1) ^ (s32 >> 31)));
                return;
            case FieldType.SFixed32:
                var f32 = checked((int)ReadInt64(ref reader, field));
                output.WriteTag(field.Number, WireType.Fixed32);
                output.WriteFixed32((uint)f32);
                return;
            case FieldType.Int64:
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint((ulong)ReadInt64(ref reader, field));
                return;
            case FieldType.SInt64:
                var s64 = ReadInt64(ref reader, field);
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint((ulong)((s64 << 1) ^ (s64 >> 63)));
                return;
            case FieldType.SFixed64:
                var f64 = ReadInt64(ref reader, field);
                output.WriteTag(field.Number, WireType.Fixed64);
                output.WriteFixed64((ulong)f64);
                return;
            case FieldType.UInt32:
                var u32 = checked((uint)ReadUInt64(ref reader, field));
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint(u32);
                return;
            case FieldType.Fixed32:
                var x32 = checked((uint)ReadUInt64(ref reader, field));
                output.WriteTag(field.Number, WireType.Fixed32);
                output.WriteFixed32(x32);
                return;
            case FieldType.UInt64:
                var u64 = ReadUInt64(ref reader, field);
                output.WriteTag(field.Number, WireType.Varint);
                output.WriteVarint(u64);
                return;
            case FieldType.Fixed64:
                var x64 = ReadUInt64(ref reader, field);
                output.WriteTag(field.Number, WireType.Fixed64);
                output.WriteFixed64(x64);
                return;
            case FieldType.Double:
                var d = ReadDouble(ref reader, field);
                output.WriteTag(field.Number, WireType.Fixed64);
                output.WriteFixed64(BitConverter.DoubleToUInt64Bits(d));
                return;
            case FieldType.Float:
                var f = (float)ReadDouble(ref reader, field);
                output.WriteTag(field.Number, WireType.Fixed32);
                output.WriteFixed32(BitConverter.SingleToUInt32Bits(f));
                return;
            default:
                throw new MesosDecodeException($"JSON field '{field.Field.FullName}' has type {field.Type}, which Mesos JSON does not carry");
        }
    }

    private static void WriteEnum(ref Utf8JsonReader reader, FieldPlan field, ProtoWireBuffer output)
    {
        int number;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetInt32(out number))
            {
                throw Mismatch(field, ref reader, "an enum name or a 32-bit number");
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            var rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (rawLength > MaxNameLength)
            {
                return; // no enum value has such a name: unknown, dropped as proto2 does
            }

            Span<char> name = stackalloc char[MaxNameLength];
            var length = reader.CopyString(name);
            if (!field.Enum!.TryGetNumber(name[..length], out number))
            {
                return; // an enum value newer than our schema: dropped, as Mesos' own reader does for proto2
            }
        }
        else
        {
            throw Mismatch(field, ref reader, "an enum name");
        }

        output.WriteTag(field.Number, WireType.Varint);
        output.WriteVarint((ulong)(long)number);
    }

    private static void WriteBase64(ref Utf8JsonReader reader, FieldPlan field, ProtoWireBuffer output)
    {
        var rawLength = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length);
        byte[]? rented = null;
        var text = reader.ValueIsEscaped || reader.HasValueSequence
            ? (rented = ArrayPool<byte>.Shared.Rent(rawLength + 3)).AsSpan(0, reader.CopyString(rented))
            : reader.ValueSpan;
        try
        {
            output.WriteTag(field.Number, WireType.LengthDelimited);
            var start = output.BeginLengthDelimited();
            var target = output.GetSpan(Base64.GetMaxDecodedFromUtf8Length(text.Length + 3));
            var status = Base64.DecodeFromUtf8(text, target, out _, out var written);
            if (status != OperationStatus.Done)
            {
                written = DecodeLenientBase64(text, target, field);
            }

            output.Advance(written);
            output.EndLengthDelimited(start);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // URL-safe alphabet and missing padding, which some JSON writers use for bytes.
    private static int DecodeLenientBase64(ReadOnlySpan<byte> text, Span<byte> target, FieldPlan field)
    {
        var padded = new byte[(text.Length + 3) / 4 * 4];
        for (var i = 0; i < padded.Length; i++)
        {
            padded[i] = i < text.Length ? text[i] switch { (byte)'-' => (byte)'+', (byte)'_' => (byte)'/', var b => b } : (byte)'=';
        }

        if (Base64.DecodeFromUtf8(padded, target, out _, out var written) != OperationStatus.Done)
        {
            throw new MesosDecodeException($"JSON field '{field.Field.FullName}' is not valid base64");
        }

        return written;
    }

    private delegate void BytesAction(ReadOnlySpan<byte> bytes, ProtoWireBuffer output);

    private static void WithUnescaped(ref Utf8JsonReader reader, ProtoWireBuffer output, BytesAction action)
    {
        var rawLength = (int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(rawLength, 16));
        try
        {
            var length = reader.CopyString(rented);
            action(rented.AsSpan(0, length), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool ReadBool(ref Utf8JsonReader reader, FieldPlan field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String when reader.ValueTextEquals("true"u8):
                return true;
            case JsonTokenType.String when reader.ValueTextEquals("false"u8):
                return false;
            default:
                throw Mismatch(field, ref reader, "true or false");
        }
    }

    private static long ReadInt64(ref Utf8JsonReader reader, FieldPlan field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var value))
            {
                return value;
            }

            if (reader.TryGetDouble(out var d) && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue)
            {
                return (long)d;
            }
        }
        else if (reader.TokenType == JsonTokenType.String && TryGetText(ref reader, out var text)
                 && Utf8Parser.TryParse(text, out long parsed, out var consumed) && consumed == text.Length)
        {
            return parsed;
        }

        throw Mismatch(field, ref reader, "an integer (a number or a string of digits)");
    }

    private static ulong ReadUInt64(ref Utf8JsonReader reader, FieldPlan field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetUInt64(out var value))
            {
                return value;
            }

            if (reader.TryGetDouble(out var d) && d == Math.Floor(d) && d >= 0 && d <= ulong.MaxValue)
            {
                return (ulong)d;
            }
        }
        else if (reader.TokenType == JsonTokenType.String && TryGetText(ref reader, out var text)
                 && Utf8Parser.TryParse(text, out ulong parsed, out var consumed) && consumed == text.Length)
        {
            return parsed;
        }

        throw Mismatch(field, ref reader, "an unsigned integer (a number or a string of digits)");
    }

    private static double ReadDouble(ref Utf8JsonReader reader, FieldPlan field)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.String && TryGetText(ref reader, out var text))
        {
            if (text.SequenceEqual("NaN"u8))
            {
                return double.NaN;
            }

            if (text.SequenceEqual("Infinity"u8))
            {
                return double.PositiveInfinity;
            }

            if (text.SequenceEqual("-Infinity"u8))
            {
                return double.NegativeInfinity;
            }

            if (Utf8Parser.TryParse(text, out double parsed, out var consumed) && consumed == text.Length)
            {
                return parsed;
            }
        }

        throw Mismatch(field, ref reader, "a number");
    }

    // Numbers in strings are short and never escaped in practice; an escaped or split one is simply not a number.
    private static bool TryGetText(ref Utf8JsonReader reader, out ReadOnlySpan<byte> text)
    {
        text = reader.ValueSpan;
        return !reader.ValueIsEscaped && !reader.HasValueSequence;
    }

    private static void ExpectString(ref Utf8JsonReader reader, FieldPlan field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Mismatch(field, ref reader, "a string");
        }
    }

    private static MesosDecodeException Mismatch(FieldPlan field, ref Utf8JsonReader reader, string expected) =>
        new($"JSON field '{field.Field.FullName}' expects {expected}, got {reader.TokenType}");
}

/// <summary>The descriptor of a generated message type, without allocating an instance per call.</summary>
internal static class MesosMessageDescriptors<T>
    where T : IMessage<T>, new()
{
    public static readonly MessageDescriptor Descriptor = new T().Descriptor;
}
