using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace Mesos.Protocol.Encoding.Json;

/// <summary>How to read one message type from JSON: its fields by proto name and by camelCase JSON name.</summary>
internal sealed class MessagePlan
{
    private static readonly ConcurrentDictionary<MessageDescriptor, MessagePlan> Plans = new();

    private readonly Dictionary<string, FieldPlan>.AlternateLookup<ReadOnlySpan<char>> _byName;

    // The hot path: names as UTF-8, bucketed by byte length, compared without decoding or hashing.
    private readonly (byte[] Name, FieldPlan Field)[]?[] _byUtf8Length;

    private MessagePlan(MessageDescriptor descriptor)
    {
        Descriptor = descriptor;
        var byName = new Dictionary<string, FieldPlan>(StringComparer.Ordinal);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            var plan = new FieldPlan(field);
            byName[field.Name] = plan;
            byName.TryAdd(field.JsonName, plan);
        }

        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();

        var utf8 = byName.Select(kv => (Name: System.Text.Encoding.UTF8.GetBytes(kv.Key), Field: kv.Value)).ToList();
        _byUtf8Length = new (byte[], FieldPlan)[]?[utf8.Count == 0 ? 1 : utf8.Max(e => e.Name.Length) + 1];
        foreach (var group in utf8.GroupBy(e => e.Name.Length))
        {
            _byUtf8Length[group.Key] = [.. group];
        }
    }

    public MessageDescriptor Descriptor { get; }

    public static MessagePlan For(MessageDescriptor descriptor) => Plans.GetOrAdd(descriptor, static d => new MessagePlan(d));

    public bool TryGetField(ReadOnlySpan<char> name, out FieldPlan field) => _byName.TryGetValue(name, out field!);

    public bool TryGetField(ReadOnlySpan<byte> utf8Name, out FieldPlan? field)
    {
        if (utf8Name.Length < _byUtf8Length.Length && _byUtf8Length[utf8Name.Length] is { } bucket)
        {
            foreach (var (name, candidate) in bucket)
            {
                if (utf8Name.SequenceEqual(name))
                {
                    field = candidate;
                    return true;
                }
            }
        }

        field = null;
        return false;
    }
}

/// <summary>One field: its descriptor and what its wire form needs.</summary>
internal sealed class FieldPlan
{
    private MessagePlan? _message;
    private FieldPlan? _mapValue;

    public FieldPlan(FieldDescriptor field)
    {
        Field = field;
        Number = field.FieldNumber;
        Type = field.FieldType;
        if (field.FieldType == FieldType.Enum)
        {
            Enum = EnumPlan.For(field.EnumType);
        }
    }

    public FieldDescriptor Field { get; }

    public int Number { get; }

    public FieldType Type { get; }

    public EnumPlan? Enum { get; }

    // Resolved lazily: message types refer to each other (and to themselves).
    public MessagePlan Message => _message ??= MessagePlan.For(Field.MessageType);

    /// <summary>For a <c>map&lt;string, V&gt;</c> field: the entry's value field (number 2).</summary>
    public FieldPlan MapValue => _mapValue ??= new FieldPlan(Field.MessageType.FindFieldByNumber(2));
}

/// <summary>An enum's values by name.</summary>
internal sealed class EnumPlan
{
    private static readonly ConcurrentDictionary<EnumDescriptor, EnumPlan> Plans = new();
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;

    private EnumPlan(EnumDescriptor descriptor)
    {
        var byName = descriptor.Values.ToDictionary(v => v.Name, v => v.Number, StringComparer.Ordinal);
        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static EnumPlan For(EnumDescriptor descriptor) => Plans.GetOrAdd(descriptor, static d => new EnumPlan(d));

    public bool TryGetNumber(ReadOnlySpan<char> name, out int number) => _byName.TryGetValue(name, out number);
}
