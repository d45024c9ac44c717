namespace Mesos.Testing.Shared;

/// <summary>Where the repository and the read-only <c>shared/</c> folder beside it are, from a test's bin folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The steering repo's <c>shared/</c> folder: the schema contract, recordings and seeds.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SchemaTable => Path.Combine(Shared, "mesos-v1-schema", "fields.tsv");

    public static string Recordings => Path.Combine(Shared, "mesos-recordings");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesos.Agent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Mesos.Agent.sln not found above {AppContext.BaseDirectory}; tests must run from a checkout of the repository");
    }
}
