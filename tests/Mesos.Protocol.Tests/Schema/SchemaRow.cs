namespace Mesos.Protocol.Tests.Schema;

/// <summary>One row of shared/mesos-v1-schema/fields.tsv.</summary>
internal sealed record SchemaRow(
    string Kind, string File, string Owner, string Name, int Number, string Label, string Type, string TypeName, string Default, bool Reached)
{
    public static IReadOnlyList<SchemaRow> Load(string path) =>
        System.IO.File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(c => new SchemaRow(
                c[0], c[1], c[2], c[3], c[4].Length == 0 ? 0 : int.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture),
                c[5], c[6], c[7], c[8], c[9] == "yes"))
            .ToList();
}
