using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesos.Protocol.Encoding;

namespace Mesos.Protocol.Tests.Encoding;

/// <summary>
/// Every Call and Event type of both APIs, with its payload message filled in (every field, three levels deep),
/// survives JSON → protobuf → JSON and protobuf → JSON → protobuf unchanged.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly MessageDescriptor[] Envelopes =
    [
        Mesos.V1.Executor.Call.Descriptor,
        Mesos.V1.Executor.Event.Descriptor,
        Mesos.V1.Scheduler.Call.Descriptor,
        Mesos.V1.Scheduler.Event.Descriptor,
    ];

    public static TheoryData<string, string> EveryType()
    {
        var data = new TheoryData<string, string>();
        foreach (var envelope in Envelopes)
        {
            foreach (var value in envelope.EnumTypes.Single(e => e.Name == "Type").Values.Where(v => v.Number != 0))
            {
                data.Add(envelope.FullName, value.Name);
            }
        }

        return data;
    }

    [Fact]
    public void EveryTypeOfEveryEnvelope_IsCovered()
    {
        // executor Call 4, executor Event 9, scheduler Call 17, scheduler Event 11
        Assert.Equal(4 + 9 + 17 + 11, EveryType().Count());
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void PopulatedMessage_RoundTripsThroughBothEncodings(string envelope, string type)
    {
        var descriptor = Envelopes.Single(e => e.FullName == envelope);
        var message = SampleMessages.Envelope(descriptor, type);

        var viaProtobuf = Reparse(descriptor, Reparse(descriptor, message, MesosEncoding.Protobuf), MesosEncoding.Json);
        var viaJson = Reparse(descriptor, Reparse(descriptor, message, MesosEncoding.Json), MesosEncoding.Protobuf);

        Assert.Equal(message, viaProtobuf);
        Assert.Equal(message, viaJson);
        var payload = descriptor.FindFieldByName(type.ToLowerInvariant());
        if (payload is not null)
        {
            Assert.True(((IMessage)payload.Accessor.GetValue(message)).CalculateSize() > 0, $"the {type} sample should carry its {payload.Name} payload");
        }
    }

    private static IMessage Reparse(MessageDescriptor descriptor, IMessage message, MesosEncoding encoding)
    {
        var bytes = MesosCodec.Encode(message, encoding);
        return descriptor.ClrType.FullName switch
        {
            "Mesos.V1.Executor.Call" => MesosCodec.Decode<Mesos.V1.Executor.Call>(bytes, encoding),
            "Mesos.V1.Executor.Event" => MesosCodec.Decode<Mesos.V1.Executor.Event>(bytes, encoding),
            "Mesos.V1.Scheduler.Call" => MesosCodec.Decode<Mesos.V1.Scheduler.Call>(bytes, encoding),
            "Mesos.V1.Scheduler.Event" => MesosCodec.Decode<Mesos.V1.Scheduler.Event>(bytes, encoding),
            _ => throw new ArgumentOutOfRangeException(nameof(descriptor)),
        };
    }
}

/// <summary>Builds messages with every field set to a telling value, by reflection over the descriptors.</summary>
internal static class SampleMessages
{
    public static IMessage Envelope(MessageDescriptor envelope, string typeName)
    {
        var message = (IMessage)Activator.CreateInstance(envelope.ClrType)!;
        var typeField = envelope.FindFieldByName("type");
        typeField.Accessor.SetValue(message, Enum.ToObject(typeField.EnumType.ClrType, typeField.EnumType.FindValueByName(typeName).Number));

        // The payload field is named after the type (LAUNCH_GROUP → launch_group); HEARTBEAT and SHUTDOWN have none.
        var payload = envelope.FindFieldByName(typeName.ToLowerInvariant());
        foreach (var field in envelope.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.Message))
        {
            if (field == payload || field.IsRequired || field.Name is "framework_id" or "executor_id")
            {
                Set(message, field, depth: 0);
            }
        }

        return message;
    }

    public static void Populate(IMessage message, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType == FieldType.Message && depth >= 3 && !field.IsRequired)
            {
                continue;
            }

            Set(message, field, depth);
        }
    }

    private static void Set(IMessage message, FieldDescriptor field, int depth)
    {
        if (field.IsMap)
        {
            var valueField = field.MessageType.FindFieldByNumber(2);
            ((IDictionary)field.Accessor.GetValue(message)).Add("key-ü", Sample(valueField, depth + 1));
        }
        else if (field.IsRepeated)
        {
            ((IList)field.Accessor.GetValue(message)).Add(Sample(field, depth + 1));
        }
        else
        {
            field.Accessor.SetValue(message, Sample(field, depth + 1));
        }
    }

    private static object Sample(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.Message => Message(field.MessageType, depth),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[^1].Number),
        FieldType.String => $"{field.Name} ✓ \"quoted\" \\ / 日本",
        FieldType.Bytes => ByteString.CopyFrom([0, 1, 2, 0xfb, 0xff, (byte)field.FieldNumber]),
        FieldType.Bool => true,
        FieldType.Double => 1234.5678e10,
        FieldType.Float => 0.25f,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => -123456,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => -(1L << 60) - 7, // beyond a double's precision
        FieldType.UInt32 or FieldType.Fixed32 => 4_000_000_000u,
        FieldType.UInt64 or FieldType.Fixed64 => ulong.MaxValue - 3,
        _ => throw new NotSupportedException(field.FieldType.ToString()),
    };

    private static IMessage Message(MessageDescriptor descriptor, int depth)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        Populate(message, depth);
        return message;
    }
}
