using System.Xml.Linq;

namespace Mesos.Packaging.Tests.Support;

/// <summary>A project under src/ that sets <c>&lt;IsPackable&gt;true&lt;/IsPackable&gt;</c>: a library we ship on NuGet.</summary>
internal sealed record PackableProject(string Path, string PackageId, string Description)
{
    /// <summary>Every packable project under src/, found by reading the project files (so a new library is covered the moment it lands).</summary>
    public static IReadOnlyList<PackableProject> All { get; } = Discover();

    /// <summary>The package ids, as xUnit theory data.</summary>
    public static TheoryData<string> Ids => [.. All.Select(p => p.PackageId)];

    public static PackableProject Get(string packageId) => All.Single(p => p.PackageId == packageId);

    private static List<PackableProject> Discover()
    {
        var projects = new List<PackableProject>();
        foreach (var path in Directory.EnumerateFiles(System.IO.Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var properties = XDocument.Load(path).Root!.Elements("PropertyGroup").Elements().ToList();
            string? Property(string name) => properties.LastOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
            if (!string.Equals(Property("IsPackable"), "true", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var id = Property("PackageId") ?? Property("AssemblyName") ?? System.IO.Path.GetFileNameWithoutExtension(path);
            projects.Add(new PackableProject(path, id, Property("Description") ?? ""));
        }

        return projects;
    }
}
