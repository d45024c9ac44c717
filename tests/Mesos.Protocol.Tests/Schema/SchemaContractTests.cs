using Google.Protobuf.Reflection;
using Mesos.Protocol;

namespace Mesos.Protocol.Tests.Schema;

/// <summary>
/// The compiled descriptors must equal the schema contract (shared/mesos-v1-schema/fields.tsv, upstream Mesos 1.12)
/// for every row the executor and scheduler APIs reach: a missing or different field, enum value or default fails.
/// </summary>
public sealed class SchemaContractTests
{
    private static readonly IReadOnlyList<SchemaRow> Rows = SchemaRow.Load(RepoPaths.SchemaTable);

    public static TheoryData<string> ReachedFiles => new() { "mesos/v1/mesos.proto", "mesos/v1/executor/executor.proto", "mesos/v1/scheduler/scheduler.proto" };

    [Fact]
    public void Table_HasTheReachedRows()
    {
        Assert.True(Rows.Count(r => r.Reached) > 1000, "fields.tsv should list over a thousand reached rows");
    }

    [Theory]
    [MemberData(nameof(ReachedFiles))]
    public void EveryReachedRow_MatchesTheCompiledDescriptors(string file)
    {
        var mismatches = new List<string>();
        foreach (var row in Rows.Where(r => r.Reached && r.File == file))
        {
            var problem = row.Kind switch
            {
                "message" => MesosSchema.FindMessage(row.Owner) is null ? "message missing" : null,
                "field" => CheckField(row),
                "enum_value" => CheckEnumValue(row),
                _ => $"unknown row kind {row.Kind}",
            };
            if (problem is not null)
            {
                mismatches.Add($"{row.Owner}.{row.Name}: {problem}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void CompiledSchema_HasNoFieldTheTableLacks()
    {
        var known = Rows.Where(r => r.Kind == "field").Select(r => $"{r.Owner}.{r.Name}").ToHashSet();
        var extra = MesosSchema.Files
            .SelectMany(f => AllMessages(f.MessageTypes))
            .SelectMany(m => m.Fields.InDeclarationOrder().Select(x => $"{m.FullName}.{x.Name}"))
            .Where(name => !known.Contains(name))
            .ToList();

        Assert.Empty(extra);
    }

    private static IEnumerable<MessageDescriptor> AllMessages(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(m => AllMessages(m.NestedTypes).Prepend(m));

    private static string? CheckField(SchemaRow row)
    {
        var message = MesosSchema.FindMessage(row.Owner);
        if (message is null)
        {
            return "owner message missing";
        }

        var field = message.FindFieldByName(row.Name);
        if (field is null)
        {
            return "field missing";
        }

        if (field.FieldNumber != row.Number)
        {
            return $"number {field.FieldNumber}, expected {row.Number}";
        }

        var label = field.IsRepeated ? "repeated" : field.IsRequired ? "required" : "optional";
        if (label != row.Label)
        {
            return $"label {label}, expected {row.Label}";
        }

        var type = field.FieldType switch
        {
            FieldType.Message or FieldType.Group => "message",
            FieldType.Enum => "enum",
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
        if (type != row.Type)
        {
            return $"type {type}, expected {row.Type}";
        }

        var typeName = field.FieldType switch
        {
            FieldType.Message => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => string.Empty,
        };
        if (typeName != row.TypeName)
        {
            return $"type name {typeName}, expected {row.TypeName}";
        }

        var declaredDefault = field.ToProto().HasDefaultValue ? field.ToProto().DefaultValue : string.Empty;
        if (!SameDefault(declaredDefault, row.Default))
        {
            return $"default '{declaredDefault}', expected '{row.Default}'";
        }

        return null;
    }

    private static bool SameDefault(string actual, string expected) =>
        actual == expected
        || (double.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && double.TryParse(expected, System.Globalization.CultureInfo.InvariantCulture, out var e)
            && a.Equals(e));

    private static string? CheckEnumValue(SchemaRow row)
    {
        var enumType = MesosSchema.FindEnum(row.Owner);
        if (enumType is null)
        {
            return "enum missing";
        }

        var value = enumType.FindValueByName(row.Name);
        if (value is null)
        {
            return "enum value missing";
        }

        return value.Number == row.Number ? null : $"number {value.Number}, expected {row.Number}";
    }
}
