using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;
using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Sidecar;

/// <summary>The built sidecar run as a real process (<c>dotnet mesos-health-sidecar.dll ...</c>).</summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();

    private SidecarProcess(Process process)
    {
        _process = process;
    }

    public static string DllPath
    {
        get
        {
            var configuration = typeof(SidecarProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Configuration").Value!;
            return Path.Combine(RepoPaths.Root, "src", "Mesos.TaskHealth.Sidecar", "bin", configuration, "net10.0", "mesos-health-sidecar.dll");
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SidecarProcess Start(params string[] args)
    {
        Assert.True(File.Exists(DllPath), $"the sidecar is not built at {DllPath}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sidecar = new SidecarProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                sidecar._stdout.Writer.TryComplete();
            }
            else
            {
                sidecar._stdout.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (sidecar._stderr)
                {
                    sidecar._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sidecar;
    }

    /// <summary>The next stdout line (null at end of output); bounded.</summary>
    public async Task<string?> NextLineAsync()
    {
        try
        {
            return await _stdout.Reader.ReadAsync().AsTask().Within();
        }
        catch (ChannelClosedException)
        {
            return null;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("no stdout line from the sidecar; stderr:\n" + Stderr);
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().Within();
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the sidecar did not exit; stderr:\n" + Stderr);
        }

        return _process.ExitCode;
    }

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().Within();
        }

        _process.Dispose();
    }
}
