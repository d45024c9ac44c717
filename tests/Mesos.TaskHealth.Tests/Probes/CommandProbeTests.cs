using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Probes;

public sealed class CommandProbeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("taskhealth-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ExitZero_IsHealthy()
    {
        var result = await HealthProbes.Command("exit 0").ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.True(result.IsHealthy, result.ToString());
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task ExitOne_IsUnhealthy_WithExitCodeAndOutputInTheReason()
    {
        var result = await HealthProbes.Command("echo 'database unreachable' >&2; exit 1").ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.Equal(ProbeFailureKind.ExitCode, result.Failure);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("code 1", result.Message, StringComparison.Ordinal);
        Assert.Contains("database unreachable", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingCommand_TimesOut_AndItsWholeTreeIsKilled()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var probe = HealthProbes.Command($"sleep 1000 & echo $! > '{pidFile}'; wait");

        var result = await probe.ProbeAsync(TimeSpan.FromMilliseconds(500)).Within();

        Assert.Equal(ProbeFailureKind.Timeout, result.Failure);
        var childPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await Bounded.EventuallyAsync(() => IsGone(childPid)), $"grandchild {childPid} survived the timeout");
    }

    [Fact]
    public async Task NonShellCommand_GetsItsArgumentsAndEnvironment()
    {
        var options = new CommandProbeOptions
        {
            Command = "/bin/sh",
            Shell = false,
            Arguments = ["-c", "test \"$1\" = expected && test \"$PROBE_VAR\" = set", "sh", "expected"],
            Environment = new Dictionary<string, string> { ["PROBE_VAR"] = "set" },
        };

        var result = await HealthProbes.Command(options).ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.True(result.IsHealthy, result.ToString());
    }

    [Fact]
    public async Task MissingProgram_IsAnError()
    {
        var options = new CommandProbeOptions { Command = Path.Combine(_dir, "no-such-program"), Shell = false };

        var result = await HealthProbes.Command(options).ProbeAsync(TimeSpan.FromSeconds(10)).Within();

        Assert.Equal(ProbeFailureKind.Error, result.Failure);
    }

    [Fact]
    public void Options_NameTheBadSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => HealthProbes.Command(new CommandProbeOptions { Command = " " }));

        Assert.Contains("CommandProbeOptions.Command", ex.Message, StringComparison.Ordinal);
    }

    // Gone, or a zombie waiting for a reaper that is not us (the container's init may not reap).
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
