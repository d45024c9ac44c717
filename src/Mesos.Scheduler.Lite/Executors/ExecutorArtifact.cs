namespace Mesos.Scheduler.Lite;

/// <summary>Where our single-file executor is published and how the agent should fetch and start it.</summary>
public sealed record ExecutorArtifact
{
    /// <summary>The executor binary's URL (http, https, hdfs, s3, file), fetched by the agent's fetcher into the sandbox.</summary>
    public required Uri Uri { get; init; }

    /// <summary>The file name in the sandbox; defaults to the URL's last path segment.</summary>
    public string? FileName { get; init; }

    /// <summary>Let the fetcher cache the download on the agent (the binary is immutable per URL).</summary>
    public bool Cache { get; init; } = true;

    /// <summary>Hex SHA-256 of the binary; when set the executor's command refuses to start a file that does not match.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Extra command-line arguments for the executor.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables for the executor (the agent passes none of its own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The executor's own resources. A LAUNCH_GROUP executor must declare cpus, mem and disk.</summary>
    public ResourceRequirements Resources { get; init; } = new() { Cpus = 0.1, Mem = 32, Disk = 16 };

    /// <summary>The file name the fetcher writes.</summary>
    public string EffectiveFileName => FileName ?? (Path.GetFileName(Uri.AbsolutePath) is { Length: > 0 } name ? name : "mesos-executor");

    internal void Validate()
    {
        if (!Uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"ExecutorArtifact.Uri must be absolute (got '{Uri}')", nameof(Uri));
        }

        if (Sha256 is { } sha && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"ExecutorArtifact.Sha256 must be 64 hex digits (got '{sha}')", nameof(Sha256));
        }

        var file = EffectiveFileName;
        if (file.Contains('/', StringComparison.Ordinal) || file is "." or "..")
        {
            throw new ArgumentException($"ExecutorArtifact.FileName must be a plain file name (got '{file}')", nameof(FileName));
        }
    }
}
