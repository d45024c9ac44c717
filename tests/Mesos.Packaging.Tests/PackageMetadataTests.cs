using Mesos.Packaging.Tests.Support;

namespace Mesos.Packaging.Tests;

/// <summary>What `dotnet pack` puts in each package: the nuspec metadata a package gallery shows, the README, the symbols.</summary>
[Collection(PackagingCollection.Name)]
[Trait("Category", "Packaging")]
public sealed class PackageMetadataTests(PackedFeed feed)
{
    [Fact]
    public void Pack_ProducesOnePackageAndOneSymbolPackage_ForEveryPackableProjectUnderSrc()
    {
        var expected = PackableProject.All.Select(p => p.PackageId).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("Mesos.Executor", expected);
        Assert.Contains("Mesos.Protocol", expected);

        // A packable project missing here is missing from Mesos.Agent.sln, which is what `dotnet pack` packs.
        Assert.Equal(expected.Select(id => $"{id}.{PackedFeed.Version}.nupkg"), FilesIn("*.nupkg"));
        Assert.Equal(expected.Select(id => $"{id}.{PackedFeed.Version}.snupkg"), FilesIn("*.snupkg"));
    }

    [Theory]
    [MemberData(nameof(PackableProject.Ids), MemberType = typeof(PackableProject))]
    public void Package_HasTheMetadataNuGetShows(string packageId)
    {
        var project = PackableProject.Get(packageId);
        var package = PackageFile.Open(feed.PackagePath(packageId));

        Assert.Equal(packageId, package.Value("id"));
        Assert.Equal(PackedFeed.Version, package.Value("version"));
        Assert.False(string.IsNullOrWhiteSpace(project.Description), $"{project.Path} has no <Description>");
        Assert.Equal(project.Description, package.Value("description"));
        Assert.Equal("Mesos.Agent contributors", package.Value("authors"));
        Assert.False(string.IsNullOrWhiteSpace(package.Value("tags")));

        var license = package.Element("license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("Apache-2.0", license.Value);

        var repository = package.Element("repository");
        Assert.NotNull(repository);
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.StartsWith("https://", (string?)repository.Attribute("url"), StringComparison.Ordinal);
        Assert.StartsWith("https://", package.Value("projectUrl"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PackableProject.Ids), MemberType = typeof(PackableProject))]
    public void Package_CarriesItsReadme_AndItsLibrary(string packageId)
    {
        var package = PackageFile.Open(feed.PackagePath(packageId));

        const string readme = "README.md";
        Assert.Equal(readme, package.Value("readme"));
        Assert.Contains(readme, package.Entries);
        var ownReadme = Path.Combine(Path.GetDirectoryName(PackableProject.Get(packageId).Path)!, "README.md");
        var expected = File.ReadAllText(File.Exists(ownReadme) ? ownReadme : Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Equal(expected, package.ReadText(readme));

        Assert.Contains($"lib/net10.0/{packageId}.dll", package.Entries);
        Assert.DoesNotContain(package.Entries, e => e.EndsWith(".pdb", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackableProject.Ids), MemberType = typeof(PackableProject))]
    public void SymbolPackage_HoldsThePortablePdb(string packageId)
    {
        var symbols = PackageFile.Open(feed.PackagePath(packageId, "snupkg"));

        Assert.Equal(packageId, symbols.Value("id"));
        Assert.Equal(PackedFeed.Version, symbols.Value("version"));
        Assert.Contains($"lib/net10.0/{packageId}.pdb", symbols.Entries);
    }

    [Theory]
    [MemberData(nameof(PackableProject.Ids), MemberType = typeof(PackableProject))]
    public void Package_DependsOnOurOtherPackages_AtTheSameVersion(string packageId)
    {
        var package = PackageFile.Open(feed.PackagePath(packageId));

        foreach (var (id, version) in package.Dependencies().Where(d => d.Id.StartsWith("Mesos.", StringComparison.Ordinal)))
        {
            Assert.Contains(id, PackableProject.All.Select(p => p.PackageId));
            Assert.Equal(PackedFeed.Version, version);
        }
    }

    private List<string> FilesIn(string pattern) =>
        [.. Directory.EnumerateFiles(feed.Feed, pattern).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
