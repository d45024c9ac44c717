using System.Diagnostics;

namespace Mesos.Testing.Agent;

public sealed partial class FakeAgent
{
    /// <summary>
    /// Starts an executor the way the agent does: in a fresh sandbox directory as working directory, with an
    /// environment of exactly the MESOS_*/LIBPROCESS_* variables, the ExecutorInfo's own variables and a default
    /// PATH (nothing of this process's environment: no HOME), stdout and stderr going to files in the sandbox. Returns
    /// once the executor's SUBSCRIBE arrived.
    /// </summary>
    /// <exception cref="TimeoutException">No SUBSCRIBE within the registration timeout (the process is killed).</exception>
    /// <exception cref="InvalidOperationException">The process exited before subscribing (its stderr is in the message).</exception>
    public async Task<ExecutorProcess> StartExecutorProcessAsync(ExecutorProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "mesos-fake-agent-" + Guid.NewGuid().ToString("N")[..8]);
        var sandbox = options.SandboxDirectory ?? Path.Combine(root, "slaves", _options.AgentId, "frameworks", _options.FrameworkId, "executors", _options.ExecutorId, "runs", Guid.NewGuid().ToString());
        Directory.CreateDirectory(sandbox);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in options.CommandEnvironment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in ExecutorEnvironment(
                     sandbox, options.RecoveryTimeout, options.SubscriptionBackoffMax, options.ShutdownGracePeriod,
                     options.AuthenticationToken ?? _options.RequiredToken))
        {
            environment[name] = value;
        }

        environment.TryAdd("PATH", ExecutorProcessOptions.DefaultPath);

        var start = new ProcessStartInfo(options.FileName)
        {
            WorkingDirectory = sandbox,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in options.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var subscribesBefore = Locked(() => _subscribes.Count);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) =>
        {
            lock (_gate)
            {
                SignalLocked();
            }
        };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        var output = Task.WhenAll(
            CopyAsync(process.StandardOutput.BaseStream, Path.Combine(sandbox, "stdout")),
            CopyAsync(process.StandardError.BaseStream, Path.Combine(sandbox, "stderr")));
        var executor = new ExecutorProcess(process, sandbox, environment, startedAt, output);

        try
        {
            await WaitUntilAsync(
                a => a.Locked(() => a._subscribes.Count > subscribesBefore) || process.HasExited,
                options.RegistrationTimeout,
                "the executor's SUBSCRIBE",
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await executor.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var subscribe = Locked(() => _calls.LastOrDefault(c => c.StatusCode == 200));
        if (subscribe is null || Locked(() => _subscribes.Count) <= subscribesBefore)
        {
            await output.ConfigureAwait(false);
            var stderr = executor.ReadStderr();
            await executor.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The executor exited with {process.ExitCode} before subscribing; stderr: {stderr}");
        }

        executor.SubscribedAt = subscribe.Timestamp;
        return executor;
    }

    private static async Task CopyAsync(Stream source, string path)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        var buffer = new byte[4096];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            await file.FlushAsync().ConfigureAwait(false);
        }
    }
}
