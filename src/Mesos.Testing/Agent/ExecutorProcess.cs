using System.Diagnostics;

namespace Mesos.Testing.Agent;

/// <summary>An executor process the fake agent started; disposing kills it if it still runs.</summary>
public sealed class ExecutorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _output;

    internal ExecutorProcess(Process process, string sandbox, IReadOnlyDictionary<string, string> environment, long startedAt, Task output)
    {
        _process = process;
        SandboxDirectory = sandbox;
        Environment = environment;
        StartedAt = startedAt;
        _output = output;
    }

    public int Id => _process.Id;

    /// <summary>The working directory the executor was started in; stdout and stderr are written there as files, as the agent does.</summary>
    public string SandboxDirectory { get; }

    /// <summary>Exactly the environment the process got.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> right before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when its SUBSCRIBE was received.</summary>
    public long SubscribedAt { get; internal set; }

    /// <summary>From process start to SUBSCRIBE received.</summary>
    public TimeSpan TimeToSubscribe => Stopwatch.GetElapsedTime(StartedAt, SubscribedAt);

    public bool HasExited => _process.HasExited;

    /// <summary>Resident memory (VmRSS) in bytes, read from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        await _output.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>The executor's stdout so far.</summary>
    public string ReadStdout() => ReadShared(Path.Combine(SandboxDirectory, "stdout"));

    /// <summary>The executor's stderr so far.</summary>
    public string ReadStderr() => ReadShared(Path.Combine(SandboxDirectory, "stderr"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }

        try
        {
            await _output.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
