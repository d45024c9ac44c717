using System.Diagnostics;
using System.Xml.Linq;

namespace Mesos.Packaging.Tests.Support;

/// <summary>
/// Once per test run: <c>dotnet pack</c> of the solution into a temporary folder feed, and a copy of <c>samples/</c>
/// beside it with a nuget.config (from <c>samples/nuget.config.template</c>) that takes Mesos.* only from that feed.
/// The sample restores into its own empty packages folder, so a cached copy of one of our packages can never
/// hide a packing mistake. Everything is deleted at the end.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);

    public PackedFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "mesos-packaging-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Samples = Path.Combine(Root, "samples");
    }

    /// <summary>The temporary folder holding everything below.</summary>
    public string Root { get; }

    /// <summary>The local folder feed `dotnet pack -o` wrote to.</summary>
    public string Feed { get; }

    /// <summary>The sample's own NUGET_PACKAGES folder, empty at the start.</summary>
    public string Packages { get; }

    /// <summary>The copy of samples/ with its nuget.config.</summary>
    public string Samples { get; }

    /// <summary>The configuration these tests were built in (the libraries were built in it too).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The version every package must have: VersionPrefix of the root Directory.Build.props.</summary>
    public static string Version { get; } = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"))
        .Descendants("VersionPrefix").Single().Value.Trim();

    public TimeSpan PackDuration { get; private set; }

    /// <summary>The environment for `dotnet` commands on the sample: its own empty packages folder.</summary>
    public IReadOnlyDictionary<string, string> SampleEnvironment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    public string PackagePath(string packageId, string extension = "nupkg") => Path.Combine(Feed, $"{packageId}.{Version}.{extension}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Packages);
        var watch = Stopwatch.StartNew();
        // The solution's packable projects, from this configuration's build (see the project file).
        await Dotnet.RunAsync(
            RepoPaths.Root, PackTimeout, null,
            "pack", "Mesos.Agent.sln", "-c", Configuration, "--no-build", "--no-restore", "-o", Feed, "--disable-build-servers", "-nologo");
        PackDuration = watch.Elapsed;

        CopyDirectory(Path.Combine(RepoPaths.Root, "samples"), Samples);
        var template = await File.ReadAllTextAsync(Path.Combine(Samples, "nuget.config.template"));
        Assert.Contains("{{LOCAL_FEED}}", template, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(Samples, "nuget.config"), template.Replace("{{LOCAL_FEED}}", Feed, StringComparison.Ordinal));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process that was killed may still be releasing a file; the temp folder is cleaned by the OS later.
        }

        return Task.CompletedTask;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        // A developer's own nuget.config is not copied: the test writes its own from the template.
        foreach (var file in Directory.EnumerateFiles(source).Where(f => !Path.GetFileName(f).Equals("nuget.config", StringComparison.OrdinalIgnoreCase)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyDirectory(directory, Path.Combine(target, name));
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "Packaging";
}
