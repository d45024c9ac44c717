using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Mesos.Testing.Shared;

/// <summary>
/// The published single-file executor (publish/publish-executor.sh), made once per version of its sources and shared by
/// every test project and run on this machine: the output goes to a temporary folder named after a hash of the
/// sources, guarded by a lock file so parallel test projects publish it once. <c>MESOS_EXECUTOR_PATH</c> skips it all.
/// </summary>
internal static class PublishedExecutorCache
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly string[] SourceProjects = ["Mesos.Executor.Runner", "Mesos.Executor", "Mesos.Protocol", "Mesos.TaskHealth"];

    /// <summary>The executor's path; publishes it first when this version of the sources has not been published yet.</summary>
    public static async Task<string> GetAsync()
    {
        if (Environment.GetEnvironmentVariable("MESOS_EXECUTOR_PATH") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"MESOS_EXECUTOR_PATH points to no file: {given}");
        }

        var directory = Path.Combine(Path.GetTempPath(), "mesos-executor-publish-" + Fingerprint());
        var executor = Path.Combine(directory, "mesos-executor");
        var done = Path.Combine(directory, "mesos-executor.sha256");
        Directory.CreateDirectory(directory);
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await using var gate = await LockAsync(Path.Combine(directory, ".lock"), timeout.Token);
        if (File.Exists(done) && File.Exists(executor))
        {
            return executor;
        }

        var script = Path.Combine(RepoPaths.Root, "publish", "publish-executor.sh");
        var start = new ProcessStartInfo("bash", [script, directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = publish.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException($"publish-executor.sh did not finish within {PublishTimeout}");
        }

        if (publish.ExitCode != 0 || !File.Exists(executor))
        {
            File.Delete(done);
            throw new InvalidOperationException($"publish-executor.sh failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        }

        return executor;
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another test process publishes right now.
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = SourceProjects
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "src/Directory.Build.props", "global.json", "publish/publish-executor.sh", "publish/ExecutorPublish.props", "publish/mesos-executor.mibc" }
                .Select(f => Path.Combine(RepoPaths.Root, f)).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepoPaths.Root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
