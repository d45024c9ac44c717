using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mesos.Protocol.Encoding.Json;

/// <summary>
/// Writes a message as Mesos writes JSON: proto field names, enums by name, bytes as base64, 64-bit integers as
/// numbers, only the fields that are set. Mesos silently drops names it does not know, so the names must be exact.
/// </summary>
internal static class ProtoJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Keep non-ASCII text as UTF-8; Mesos reads it, and escaping would only grow the payload.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, Options);

    public static byte[] ToUtf8Bytes(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, IMessage message)
    {
        writer.WriteStartObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var accessor = field.Accessor;
            if (field.IsMap)
            {
                var map = (IDictionary)accessor.GetValue(message);
                if (map.Count == 0)
                {
                    continue;
                }

                var valueField = field.MessageType.FindFieldByNumber(2);
                writer.WritePropertyName(field.Name);
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    WriteValue(writer, valueField, entry.Value!);
                }

                writer.WriteEndObject();
            }
            else if (field.IsRepeated)
            {
                var list = (IList)accessor.GetValue(message);
                if (list.Count == 0)
                {
                    continue;
                }

                writer.WritePropertyName(field.Name);
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, field, item);
                }

                writer.WriteEndArray();
            }
            else if (accessor.HasValue(message))
            {
                writer.WritePropertyName(field.Name);
                WriteValue(writer, field, accessor.GetValue(message));
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, object value)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                Write(writer, (IMessage)value);
                break;
            case FieldType.String:
                writer.WriteStringValue((string)value);
                break;
            case FieldType.Bytes:
                writer.WriteBase64StringValue(((ByteString)value).Span);
                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                var name = field.EnumType.FindValueByNumber(number)?.Name;
                if (name is null)
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(name);
                }

                break;
            case FieldType.Bool:
                writer.WriteBooleanValue((bool)value);
                break;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                writer.WriteNumberValue((int)value);
                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                writer.WriteNumberValue((long)value);
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                writer.WriteNumberValue((uint)value);
                break;
            case FieldType.UInt64 or FieldType.Fixed64:
                writer.WriteNumberValue((ulong)value);
                break;
            case FieldType.Float:
                WriteDouble(writer, (float)value);
                break;
            case FieldType.Double:
                WriteDouble(writer, (double)value);
                break;
            default:
                throw new NotSupportedException($"Field '{field.FullName}' has type {field.FieldType}, which Mesos JSON does not carry");
        }
    }

    // JSON has no NaN or infinities; Mesos' reader takes them as these strings.
    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteStringValue("-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
