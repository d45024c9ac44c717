using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Mesos.LocalCluster.Demo;

/// <summary>
/// Publishes the executor with publish/publish-executor.sh into publish/out/ of the checkout this binary was built from,
/// unless the sources have not changed since the last publish (a hash of them is kept beside the binary).
/// </summary>
internal static class ExecutorPublisher
{
    private static readonly string[] SourceProjects = ["Mesos.Executor.Runner", "Mesos.Executor", "Mesos.Protocol", "Mesos.TaskHealth"];

    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mesos.Agent.sln")) && File.Exists(Path.Combine(dir.FullName, "publish", "publish-executor.sh")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <exception cref="InvalidOperationException">No checkout to publish from, or the script failed (its output is in the message).</exception>
    public static async Task<string> PublishAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot() ?? throw new InvalidOperationException(
            "Cannot find the repository (Mesos.Agent.sln) to publish the executor from; pass --executor-path with a published mesos-executor");
        var output = Path.Combine(root, "publish", "out");
        var executor = Path.Combine(output, "mesos-executor");
        var stamp = Path.Combine(output, ".sources-sha256");
        var fingerprint = Fingerprint(root);
        if (File.Exists(executor) && File.Exists(stamp) && (await File.ReadAllTextAsync(stamp, cancellationToken).ConfigureAwait(false)).Trim() == fingerprint)
        {
            progress($"executor already published for these sources: {executor}");
            return executor;
        }

        progress("publishing the executor (publish/publish-executor.sh: self-contained, trimmed, single file; the first time takes a few minutes)");
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "publish", "publish-executor.sh"), output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash to publish the executor");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0 || !File.Exists(executor))
        {
            throw new InvalidOperationException($"publish/publish-executor.sh failed with exit code {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
        }

        await File.WriteAllTextAsync(stamp, fingerprint, cancellationToken).ConfigureAwait(false);
        progress((await stdout.ConfigureAwait(false)).Trim());
        return executor;
    }

    private static string Fingerprint(string root)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = SourceProjects
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, "src", p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "src/Directory.Build.props", "global.json", "publish/publish-executor.sh", "publish/ExecutorPublish.props", "publish/mesos-executor.mibc" }
                .Select(f => Path.Combine(root, f)).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
