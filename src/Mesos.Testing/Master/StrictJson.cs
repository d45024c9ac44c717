using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace Mesos.Testing.Master;

/// <summary>
/// Mesos' JSON-to-protobuf conversion knows only proto field names: a camelCase key is an unknown field and ignored,
/// so a camelCase <c>frameworkInfo</c> ends as "Missing required fields: subscribe.framework_info". Our codec is
/// lenient; this drops the keys Mesos would not recognise so the fake master answers like the real one.
/// </summary>
internal static class StrictJson
{
    public static void DropUnknownKeys(JsonNode? node, MessageDescriptor descriptor)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var key in obj.Select(p => p.Key).ToArray())
        {
            var field = descriptor.FindFieldByName(key);
            if (field is null)
            {
                obj.Remove(key);
                continue;
            }

            if (field.IsMap)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                if (valueField.FieldType == FieldType.Message && obj[key] is JsonObject map)
                {
                    foreach (var entry in map)
                    {
                        DropUnknownKeys(entry.Value, valueField.MessageType);
                    }
                }

                continue;
            }

            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            if (obj[key] is JsonArray array)
            {
                foreach (var item in array)
                {
                    DropUnknownKeys(item, field.MessageType);
                }
            }
            else
            {
                DropUnknownKeys(obj[key], field.MessageType);
            }
        }
    }
}
