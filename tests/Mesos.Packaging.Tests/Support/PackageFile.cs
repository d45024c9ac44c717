using System.IO.Compression;
using System.Xml.Linq;

namespace Mesos.Packaging.Tests.Support;

/// <summary>A .nupkg or .snupkg opened as the zip it is, with its .nuspec parsed.</summary>
internal sealed class PackageFile
{
    private PackageFile(string path, IReadOnlyList<string> entries, XElement metadata)
    {
        Path = path;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>Every file in the package, by its path inside the zip.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The nuspec's &lt;metadata&gt; element.</summary>
    public XElement Metadata { get; }

    public static PackageFile Open(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        var nuspec = zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return new PackageFile(path, entries, metadata);
    }

    /// <summary>The text of a metadata element (<c>id</c>, <c>version</c>, ...), or null.</summary>
    public string? Value(string name) => Element(name)?.Value;

    public XElement? Element(string name) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public string ReadText(string entry)
    {
        using var zip = ZipFile.OpenRead(Path);
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The nuspec's dependencies (id and version range) for every target framework.</summary>
    public IReadOnlyList<(string Id, string Version)> Dependencies() =>
        Metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))
            .ToList();
}
