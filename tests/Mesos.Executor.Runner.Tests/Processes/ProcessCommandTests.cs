using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Tests.Support;

namespace Mesos.Executor.Runner.Tests.Processes;

public sealed class ProcessCommandTests : ProcessTestBase
{
    [Fact]
    public async Task Execute_ExitZero_ReportsExitCodeZero()
    {
        var result = await Sh("exit 0").ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Null(result.Status.Signal);
        Assert.True(result.Status.IsSuccess);
        Assert.Equal(ProcessStopReason.None, result.StoppedBy);
    }

    [Fact]
    public async Task Execute_ExitThree_ReportsExitCodeThree()
    {
        var result = await Sh("exit 3").ExecuteAsync().Bounded();

        Assert.Equal(3, result.Status.ExitCode);
        Assert.Equal("exit code 3", result.Status.ToString());
    }

    [Fact]
    public async Task Execute_KilledBySignal_ReportsTheSignalNotAnExitCode()
    {
        var result = await Sh("kill -USR1 $$; sleep 5").ExecuteAsync().Bounded();

        Assert.Null(result.Status.ExitCode);
        Assert.Equal(10, result.Status.Signal);
        Assert.Equal("signal SIGUSR1 (10)", result.Status.ToString());
    }

    [Fact]
    public async Task Execute_Exit137_IsAnExitCodeNotSigkill()
    {
        // Process.ExitCode would say 137 for both this and SIGKILL.
        var result = await Sh("exit 137").ExecuteAsync().Bounded();

        Assert.Equal(137, result.Status.ExitCode);
        Assert.Null(result.Status.Signal);
    }

    [Fact]
    public async Task SystemDiagnosticsProcess_FoldsASignalIntoExitCode128PlusN_WhyWeWaitOurselves()
    {
        // The reason the process layer reads the raw wait status: Process.ExitCode cannot tell these apart.
        using var killed = System.Diagnostics.Process.Start("/bin/sh", ["-c", "kill -KILL $$"]);
        using var exited = System.Diagnostics.Process.Start("/bin/sh", ["-c", "exit 137"]);
        await killed.WaitForExitAsync().Bounded();
        await exited.WaitForExitAsync().Bounded();

        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(137, exited.ExitCode);
    }

    [Fact]
    public async Task Start_TaskProcess_IsLeaderOfItsOwnSessionAndGroup()
    {
        await using var process = await StartAsync(Sh("echo ready; exec sleep 30"));
        await Stdout.WaitForAsync("ready");

        var stat = ProcessTree.TryReadStat(process.Pid, new byte[1024]);

        Assert.NotNull(stat);
        Assert.Equal(process.Pid, stat.Value.GroupId);
        Assert.Equal(process.Pid, stat.Value.SessionId);
        Assert.Equal(LaunchMode.ParentDeathSignal, process.LaunchMode);
    }

    [Fact]
    public async Task GracefulToken_SigtermReachesTheGroup_StoppedByGraceful()
    {
        using var graceful = new CancellationTokenSource();
        await using var process = await StartAsync(Sh("sleep 60 & echo ready; wait"));
        await Stdout.WaitForAsync("ready");

        graceful.Cancel();
        var result = await process.WaitAsync(graceful: graceful.Token).Bounded();

        Assert.Equal(ProcessStopReason.Graceful, result.StoppedBy);
        Assert.Equal(15, result.Status.Signal);
    }

    [Fact]
    public async Task ForcefulToken_ProcessIgnoresSigterm_SigkillAfterGrace()
    {
        using var graceful = new CancellationTokenSource();
        using var forceful = new CancellationTokenSource();
        var command = Sh("trap '' TERM; echo ready; sleep 60; echo survived");
        var execution = command.ExecuteAsync(forceful.Token, graceful.Token);
        await Stdout.WaitForAsync("ready");

        graceful.Cancel();
        forceful.CancelAfter(TimeSpan.FromMilliseconds(300)); // the grace period
        var error = await Assert.ThrowsAsync<ProcessCanceledException>(() => execution.Bounded());

        Assert.Equal(ProcessStopReason.Forceful, error.StoppedBy);
        Assert.Equal(9, error.Result.Status.Signal);
        Assert.Equal(forceful.Token, error.CancellationToken);
        Assert.DoesNotContain("survived", Stdout.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForcefulToken_GrandchildrenAndSetsidDaemon_AreAllKilled()
    {
        using var forceful = new CancellationTokenSource();
        // Grandchildren in the group; a daemon in its own session whose parent has exited (double fork);
        // a grandchild that left the group with setsid but whose parent lives.
        var script = """
            sleep 300 &
            sh -c 'sleep 300 & wait' &
            (setsid sh -c 'sleep 300 & exec sleep 301' &)
            setsid sleep 302 &
            echo ready
            wait
            """;
        await using var process = await StartAsync(Sh(script));
        await Stdout.WaitForAsync("ready");

        forceful.Cancel();
        var result = await process.WaitAsync(forceful.Token).Bounded();

        Assert.Equal(ProcessStopReason.Forceful, result.StoppedBy);
        Assert.Equal(9, result.Status.Signal);
        Guard.AssertNoneLeft();
    }

    [Fact]
    public async Task Exit_MainEndsNormally_LeftBehindDaemonIsKilled()
    {
        var result = await Sh("(setsid sleep 300 &); sleep 300 & echo started").ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Guard.AssertNoneLeft();
    }

    [Fact]
    public async Task Start_MissingExecutable_ClearError()
    {
        var absolute = await Assert.ThrowsAsync<ProcessStartException>(
            () => Configure(ProcessCommand.Exec("/nonexistent/bin/server")).StartAsync().Bounded());
        var searched = await Assert.ThrowsAsync<ProcessStartException>(
            () => Configure(ProcessCommand.Exec("no-such-program-mesos")).StartAsync().Bounded());

        Assert.Equal("executable '/nonexistent/bin/server' does not exist", absolute.Message);
        Assert.StartsWith("executable 'no-such-program-mesos' was not found in PATH (", searched.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FileWithoutExecutePermission_ClearError()
    {
        var path = Path.Combine(Guard.Sandbox, "script.sh");
        await File.WriteAllTextAsync(path, "#!/bin/sh\nexit 0\n");

        var error = await Assert.ThrowsAsync<ProcessStartException>(() => Configure(ProcessCommand.Exec(path)).StartAsync().Bounded());

        Assert.Equal($"executable '{path}' is not executable (no execute permission)", error.Message);
    }

    [Fact]
    public async Task Start_MissingWorkingDirectory_ClearError()
    {
        var error = await Assert.ThrowsAsync<ProcessStartException>(
            () => (Sh("true") with { WorkingDirectory = "/nonexistent/sandbox" }).StartAsync().Bounded());

        Assert.Equal("working directory '/nonexistent/sandbox' does not exist", error.Message);
    }

    [Fact]
    public async Task Execute_ShellCommandNotFound_IsExitCode127()
    {
        var result = await Sh("no-such-program-mesos --flag").ExecuteAsync().Bounded();

        Assert.Equal(127, result.Status.ExitCode);
    }

    [Fact]
    public async Task Execute_ShellFalse_PassesArgvExactlyWithoutAShell()
    {
        var command = Configure(ProcessCommand.Exec("/bin/sh", ["sh", "-c", "printf '%s|' \"$0\" \"$@\"", "zero", "a b", "$HOME", "*"]));

        var result = await command.ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal("zero|a b|$HOME|*|", Stdout.Text);
    }

    [Fact]
    public async Task Execute_ShellFalse_CustomArgv0_IsKept()
    {
        var command = Configure(ProcessCommand.Exec("cat", ["my-cat", "/proc/self/cmdline"]));

        var result = await command.ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal("my-cat\0/proc/self/cmdline\0", Stdout.Text);
    }

    [Fact]
    public async Task Execute_Environment_MergedOverBaseWithoutTheSecret()
    {
        var baseEnvironment = new Dictionary<string, string>(Guard.BaseEnvironment)
        {
            ["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = "secret-token",
            ["FROM_BASE"] = "base",
            ["OVERRIDDEN"] = "base",
        };
        var command = Sh("env") with
        {
            BaseEnvironment = baseEnvironment,
            Environment = new Dictionary<string, string> { ["OVERRIDDEN"] = "task", ["TASK_ONLY"] = "x y" },
        };

        var result = await command.ExecuteAsync().Bounded();

        var lines = Stdout.Text.Split('\n');
        Assert.Equal(0, result.Status.ExitCode);
        Assert.Contains("FROM_BASE=base", lines);
        Assert.Contains("OVERRIDDEN=task", lines);
        Assert.Contains("TASK_ONLY=x y", lines);
        Assert.Contains(lines, line => line.StartsWith(ProcessTree.MarkerVariable + "=", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-token", Stdout.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", Stdout.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_WorkingDirectory_IsTheGivenDirectory()
    {
        var result = await (Sh("pwd") with { WorkingDirectory = Guard.Sandbox }).ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal(Guard.Sandbox + "\n", Stdout.Text);
    }

    [Fact]
    public async Task Execute_ChildSignalDispositions_AreDefaults()
    {
        // The .NET runtime ignores SIGPIPE; a child must not inherit that. (glibc's posix_spawn leaves its two
        // internal signals, 32 and 33, ignored; no program can use them through glibc, so only 1-31 count.)
        var result = await Sh("grep SigIgn /proc/self/status").ExecuteAsync().Bounded();

        var mask = Convert.ToUInt64(Stdout.Text.Split('\t')[1].Trim(), 16);
        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal(0UL, mask & 0x7FFF_FFFFUL);
    }
}
