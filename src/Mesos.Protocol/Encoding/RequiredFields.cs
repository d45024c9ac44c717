using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mesos.Protocol.Encoding;

/// <summary>Finds unset proto2 required fields, named by path the way Mesos reports them.</summary>
internal static class RequiredFields
{
    public static void Collect(IMessage message, string prefix, List<string> missing)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsMap)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                if (valueField.FieldType == FieldType.Message)
                {
                    foreach (DictionaryEntry entry in (IDictionary)field.Accessor.GetValue(message))
                    {
                        Collect((IMessage)entry.Value!, $"{prefix}{field.Name}[{entry.Key}].", missing);
                    }
                }

                continue;
            }

            if (field.IsRepeated)
            {
                if (field.FieldType == FieldType.Message)
                {
                    var list = (IList)field.Accessor.GetValue(message);
                    for (var i = 0; i < list.Count; i++)
                    {
                        Collect((IMessage)list[i]!, $"{prefix}{field.Name}[{i}].", missing);
                    }
                }

                continue;
            }

            var has = field.Accessor.HasValue(message);
            if (field.IsRequired && !has)
            {
                missing.Add(prefix + field.Name);
            }
            else if (has && field.FieldType == FieldType.Message)
            {
                Collect((IMessage)field.Accessor.GetValue(message), $"{prefix}{field.Name}.", missing);
            }
        }
    }
}
