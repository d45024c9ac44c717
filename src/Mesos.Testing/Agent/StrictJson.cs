using System.Buffers;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Mesos.Testing.Agent;

/// <summary>
/// Keeps only the JSON keys the agent would read: exact proto field names. The agent's JSON-to-protobuf conversion
/// (stout's protobuf::parse) ignores every other key, so a camelCase call arrives with its fields missing; our own
/// codec is lenient and would accept it, which would hide the mistake from tests.
/// </summary>
internal static class StrictJson
{
    public static byte[] Filter(JsonElement root, MessageDescriptor descriptor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteMessage(writer, root, descriptor);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, JsonElement element, MessageDescriptor descriptor)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            element.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            var field = descriptor.FindFieldByName(property.Name);
            if (field is null)
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            if (field.FieldType != FieldType.Message || field.IsMap)
            {
                property.Value.WriteTo(writer);
            }
            else if (field.IsRepeated && property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
                foreach (var item in property.Value.EnumerateArray())
                {
                    WriteMessage(writer, item, field.MessageType);
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteMessage(writer, property.Value, field.MessageType);
            }
        }

        writer.WriteEndObject();
    }
}
