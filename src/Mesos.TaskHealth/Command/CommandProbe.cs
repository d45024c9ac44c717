using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.TaskHealth;

/// <summary>Starts the command, waits for it, and kills its whole process tree if it outlives the attempt.</summary>
internal sealed class CommandProbe : IHealthProbe
{
    private readonly CommandProbeOptions _options;
    private readonly ILogger _logger;

    public CommandProbe(CommandProbeOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return ProbeResult.Unhealthy(ProbeFailureKind.Error, $"cannot start '{Describe()}': {ex.Message}");
        }

        // Read both pipes ourselves (not BeginOutputReadLine): WaitForExitAsync then waits for the process
        // only, not for a grandchild that inherited the pipe and keeps it open.
        using var pumpStop = new CancellationTokenSource();
        var stdout = PumpTailAsync(process.StandardOutput.BaseStream, pumpStop.Token);
        var stderr = PumpTailAsync(process.StandardError.BaseStream, pumpStop.Token);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            throw;
        }
        finally
        {
            // Give the pipes what they already hold, then stop reading.
            pumpStop.CancelAfter(TimeSpan.FromMilliseconds(100));
        }

        var exitCode = process.ExitCode;
        if (exitCode == 0)
        {
            return ProbeResult.Healthy($"'{Describe()}' exited 0") with { ExitCode = 0 };
        }

        var output = Tail(await stderr.ConfigureAwait(false)) is { Length: > 0 } err ? err : Tail(await stdout.ConfigureAwait(false));
        var message = output.Length > 0
            ? $"'{Describe()}' exited with code {exitCode}: {output}"
            : $"'{Describe()}' exited with code {exitCode}";
        return ProbeResult.Unhealthy(ProbeFailureKind.ExitCode, message) with { ExitCode = exitCode };
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo
        {
            FileName = _options.Shell ? "/bin/sh" : _options.Command,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _options.WorkingDirectory ?? "",
        };
        if (_options.Shell)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(_options.Command);
        }
        else
        {
            foreach (var argument in _options.Arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var (name, value) in _options.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            // Reap it so no zombie stays behind; SIGKILL makes this quick.
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            Log.CommandKillFailed(_logger, Describe(), ex);
        }
    }

    private string Describe() =>
        _options.Shell || _options.Arguments.Count == 0
            ? _options.Command
            : $"{_options.Command} {string.Join(' ', _options.Arguments)}";

    private static string Tail(byte[] bytes) => Encoding.UTF8.GetString(bytes).Trim();

    private static async Task<byte[]> PumpTailAsync(Stream stream, CancellationToken cancellationToken)
    {
        var tail = new byte[Defaults.CommandOutputTailBytes];
        var length = 0;
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                // Keep the last bytes only: the end of the output says why a check failed.
                var keep = Math.Min(n, tail.Length);
                var shift = Math.Max(0, length + keep - tail.Length);
                if (shift > 0)
                {
                    Buffer.BlockCopy(tail, shift, tail, 0, length - shift);
                    length -= shift;
                }

                Buffer.BlockCopy(chunk, n - keep, tail, length, keep);
                length += keep;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Output is only decoration for the message.
        }

        return tail.AsSpan(0, length).ToArray();
    }
}
