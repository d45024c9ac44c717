using System.Net;
using System.Net.Sockets;
using Mesos.Executor.Runner.Tests.Support;
using Mesos.Testing.Agent;
using CommandInfo = Mesos.V1.CommandInfo;
using DurationInfo = Mesos.V1.DurationInfo;
using HealthCheck = Mesos.V1.HealthCheck;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskGroupInfo = Mesos.V1.TaskGroupInfo;
using TaskState = Mesos.V1.TaskState;

namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>
/// The issue's end-to-end matrix on the published binary: how each kind of task ends, exactly which updates the
/// agent gets, and that no process of the scenario is alive afterwards (the harness scans /proc on dispose too).
/// </summary>
[Collection(PublishedExecutorCollection.Name)]
public sealed class TaskMatrixTests(PublishedExecutor published)
{
    private static readonly TimeSpan ShortGrace = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task TaskKilledBySignal_IsFailedWithTheSignalNamed()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "kill -USR1 $$"}""");

        await harness.Agent.LaunchAsync(task);
        var failed = await harness.WaitForAsync(task, TaskState.TaskFailed);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFailed], harness.StatesOf(task));
        Assert.Contains("SIGUSR1", failed.Message, StringComparison.Ordinal);
        harness.AssertNoTaskProcessLeft("after TASK_FAILED");
    }

    [Fact]
    public async Task TaskExitingThree_LeavesNoProcess()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "sleep 0.1; exit 3"}""");

        await harness.Agent.LaunchAsync(task);
        var failed = await harness.WaitForAsync(task, TaskState.TaskFailed);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFailed], harness.StatesOf(task));
        Assert.Contains("exit code 3", failed.Message, StringComparison.Ordinal);
        harness.AssertNoTaskProcessLeft("after TASK_FAILED");
        Assert.Equal(0, await harness.Executor.WaitForExitAsync(TestTimeouts.Await));
    }

    [Fact]
    public async Task TaskForkingGrandchildrenAndADaemon_FinishesWithNothingLeft()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        // Two grandchildren in the task's session, and a daemon that left it (setsid) and was orphaned (double fork).
        var task = harness.NewTask("""{"command": "sleep 300 & sleep 300 & (setsid sh -c 'sleep 300 & exec sleep 301' &); echo forked"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskFinished);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], harness.StatesOf(task));
        harness.AssertNoTaskProcessLeft("after TASK_FINISHED");
    }

    [Fact]
    public async Task Kill_OfATaskWithGrandchildrenAndADaemon_LeavesNothing()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "sleep 300 & (setsid sh -c 'sleep 300 & exec sleep 301' &); echo forked; sleep 300"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskRunning);
        await WaitForOutputAsync(Path.Combine(harness.TaskOutputDirectory(task), "stdout"), "forked");
        await harness.Agent.KillAsync(task.TaskId.Value, ShortGrace);
        await harness.WaitForAsync(task, TaskState.TaskKilled);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled], harness.StatesOf(task));
        harness.AssertNoTaskProcessLeft("after TASK_KILLED");
    }

    [Fact]
    public async Task TaskWritingLotsOfOutput_IsNotBlockedAndItsFilesAreRotatedWithinBounds()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        // 48 MB on stdout (more than the 4 x 10 MB kept), a little on stderr, then a last line.
        var task = harness.NewTask("""{"command": "head -c 48000000 /dev/zero | tr '\\0' x; echo; echo to-stderr >&2; echo the-end"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskFinished);

        var directory = harness.TaskOutputDirectory(task);
        var files = Directory.GetFiles(directory, "stdout*").Select(f => new FileInfo(f)).ToList();
        Assert.Contains(files, f => f.Name == "stdout.1");
        Assert.All(files, f => Assert.True(f.Length <= 10L * 1024 * 1024, $"{f.Name} is {f.Length} bytes"));
        Assert.True(files.Count <= 4, $"{files.Count} stdout files: {string.Join(", ", files.Select(f => f.Name))}");
        Assert.EndsWith("the-end\n", await File.ReadAllTextAsync(Path.Combine(directory, "stdout")), StringComparison.Ordinal);
        Assert.Equal("to-stderr\n", await File.ReadAllTextAsync(Path.Combine(directory, "stderr")));
        harness.AssertNoTaskProcessLeft("after TASK_FINISHED");
    }

    [Fact]
    public async Task MissingExecutable_IsTaskErrorNamingIt()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "/opt/does-not-exist/server", "shell": false, "arguments": ["server", "--port", "1"]}""");

        await harness.Agent.LaunchAsync(task);
        var error = await harness.WaitForAsync(task, TaskState.TaskError);

        Assert.Contains("/opt/does-not-exist/server", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TaskState.TaskRunning, harness.StatesOf(task));
        harness.AssertNoTaskProcessLeft("after TASK_ERROR");
    }

    [Fact]
    public async Task TaskGroup_WhereOneMemberFails_KillsTheOthers()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var web = harness.NewTask("{}", t => { t.ClearData(); t.Command = new CommandInfo { Value = "sleep 300" }; });
        var sidecar = harness.NewTask("{}", t => { t.ClearData(); t.Command = new CommandInfo { Value = "trap '' TERM; sleep 300 & wait; sleep 300" }; });
        // Fails only once the other two run, so the group kill has something to kill.
        var failing = harness.NewTask("{}", t => { t.ClearData(); t.Command = new CommandInfo { Value = "while [ ! -e go ]; do sleep 0.05; done; exit 2" }; });
        foreach (var task in new[] { web, sidecar })
        {
            task.KillPolicy = new Mesos.V1.KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 300_000_000 } };
        }

        await harness.Agent.LaunchGroupAsync(new TaskGroupInfo { Tasks = { web, sidecar, failing } });
        await harness.WaitForAsync(web, TaskState.TaskRunning);
        await harness.WaitForAsync(sidecar, TaskState.TaskRunning);
        await File.WriteAllTextAsync(Path.Combine(harness.Executor.SandboxDirectory, "go"), string.Empty);

        var failed = await harness.WaitForAsync(failing, TaskState.TaskFailed);
        await harness.WaitForAsync(web, TaskState.TaskKilled);
        await harness.WaitForAsync(sidecar, TaskState.TaskKilled);

        Assert.Contains("exit code 2", failed.Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.TaskKilled, harness.StatesOf(web)[^1]);
        Assert.Equal(TaskState.TaskKilled, harness.StatesOf(sidecar)[^1]);
        harness.AssertNoTaskProcessLeft("after the group ended");
    }

    [Fact]
    public async Task ThreeProcessTask_RestartsTheFailingProcessThenFailsWhenItsBudgetIsUsedUp()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""
            {"processes": [
              {"name": "web", "command": "sleep 300"},
              {"name": "worker", "command": "sleep 300 & wait"},
              {"name": "flaky", "command": "sleep 0.2; exit 4",
               "restart": {"policy": "on-failure", "max_restarts": 1, "backoff": {"initial": "100ms"}}}]}
            """);

        await harness.Agent.LaunchAsync(task);
        var failed = await harness.WaitForAsync(task, TaskState.TaskFailed);

        var updates = harness.Agent.Updates.Where(u => u.TaskId.Value == task.TaskId.Value).ToList();
        Assert.Equal(
            [TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskRunning, TaskState.TaskFailed],
            updates.Select(u => u.State));
        Assert.Contains("3 essential of 3 processes running", updates[1].Message, StringComparison.Ordinal);
        Assert.Contains("process 'flaky' ended with exit code 4; restart 1", updates[2].Message, StringComparison.Ordinal);
        Assert.Contains("process 'flaky' failed with exit code 4 after 1 restart (restart budget of 1 used up)", failed.Message, StringComparison.Ordinal);
        harness.AssertNoTaskProcessLeft("after TASK_FAILED");
    }

    [Fact]
    public async Task ThreeProcessTask_RestartedProcessRunsAgainUntilTheTaskIsKilled()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""
            {"processes": [
              {"name": "web", "command": "sleep 300"},
              {"name": "worker", "command": "sleep 300"},
              {"name": "once", "command": "if [ -e failed-once ]; then exec sleep 300; fi; touch failed-once; exit 5",
               "restart": {"policy": "on-failure", "max_restarts": 3, "backoff": {"initial": "100ms"}}}]}
            """);

        await harness.Agent.LaunchAsync(task);
        var restarted = await harness.Agent.WaitForUpdateAsync(
            u => u.TaskId.Value == task.TaskId.Value && u.State == TaskState.TaskRunning && u.Message.Contains("restart", StringComparison.Ordinal),
            TestTimeouts.Await);
        await harness.Agent.KillAsync(task.TaskId.Value, ShortGrace);
        await harness.WaitForAsync(task, TaskState.TaskKilled);

        Assert.Contains("process 'once' ended with exit code 5; restart 1", restarted.Message, StringComparison.Ordinal);
        Assert.Equal(
            [TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled],
            harness.StatesOf(task));
        harness.AssertNoTaskProcessLeft("after TASK_KILLED");
    }

    [Fact]
    public async Task Shutdown_WhileTasksRun_SendsTheirTerminalUpdatesAndExitsZero()
    {
        await using var harness = await ExecutorHarness.StartAsync(published, configure: o => o with { ShutdownGracePeriod = TimeSpan.FromSeconds(2) });
        var polite = harness.NewTask("""{"command": "sleep 300"}""");
        var stubborn = harness.NewTask("""{"command": "trap '' TERM; sleep 300 & wait; sleep 300"}""");

        await harness.Agent.LaunchAsync(polite);
        await harness.Agent.LaunchAsync(stubborn);
        await harness.WaitForAsync(polite, TaskState.TaskRunning);
        await harness.WaitForAsync(stubborn, TaskState.TaskRunning);
        await harness.Agent.ShutdownAsync();
        var exitCode = await harness.Executor.WaitForExitAsync(TestTimeouts.Await);

        Assert.True(exitCode == 0, $"exit code {exitCode}; executor log:\n{harness.Executor.ReadStderr()}");
        Assert.Equal(TaskState.TaskKilled, harness.StatesOf(polite)[^1]);
        Assert.Equal(TaskState.TaskKilled, harness.StatesOf(stubborn)[^1]);
        Assert.Empty(harness.Agent.Unacknowledged);
        harness.AssertNoTaskProcessLeft("after the executor exited");
    }

    [Fact]
    public async Task AgentRestart_WithCheckpointing_ResubscribesKeepsTheTaskRunningAndLosesNoUpdate()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            published,
            new FakeAgentOptions { Checkpoint = true },
            o => o with { SubscriptionBackoffMax = TimeSpan.FromMilliseconds(200) });
        var longRunning = harness.NewTask("""{"command": "sleep 300"}""");
        var endsDuringOutage = harness.NewTask("""{"command": "while [ ! -e go ]; do sleep 0.05; done; echo bye"}""");

        await harness.Agent.LaunchAsync(longRunning);
        await harness.Agent.LaunchAsync(endsDuringOutage);
        await harness.WaitForAsync(longRunning, TaskState.TaskRunning);
        await harness.WaitForAsync(endsDuringOutage, TaskState.TaskRunning);
        await harness.Agent.BeginOutageAsync(AgentOutage.Refuse);
        await File.WriteAllTextAsync(Path.Combine(harness.Executor.SandboxDirectory, "go"), string.Empty);
        await WaitForOutputAsync(Path.Combine(harness.TaskOutputDirectory(endsDuringOutage), "stdout"), "bye");
        await harness.Agent.EndOutageAsync();
        await harness.Agent.WaitForSubscribeAsync(count: 2, timeout: TestTimeouts.Await);

        // The update of the task that ended while the agent was away arrives after the re-subscription.
        await harness.WaitForAsync(endsDuringOutage, TaskState.TaskFinished);
        Assert.False(harness.Executor.HasExited);
        Assert.NotEmpty(harness.LiveTaskProcesses());
        await harness.Agent.KillAsync(longRunning.TaskId.Value, ShortGrace);
        await harness.WaitForAsync(longRunning, TaskState.TaskKilled);

        Assert.Equal(
            [TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled],
            harness.StatesOf(longRunning).Distinct());
        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], harness.StatesOf(endsDuringOutage).Distinct());
        await harness.Agent.WaitUntilAsync(a => a.Unacknowledged.Count == 0, TestTimeouts.Await, "every update acknowledged");
        harness.AssertNoTaskProcessLeft("after TASK_KILLED");
    }

    [Fact]
    public async Task AgentRestart_WithoutCheckpointing_ExecutorExitsAndKillsItsTasks()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "sleep 300 & sleep 300"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskRunning);
        await harness.Agent.BeginOutageAsync(AgentOutage.Refuse);
        var exitCode = await harness.Executor.WaitForExitAsync(TestTimeouts.Await);

        Assert.True(exitCode == 1, $"exit code {exitCode}; executor log:\n{harness.Executor.ReadStderr()}");
        harness.AssertNoTaskProcessLeft("after the executor exited");
    }

    [Fact]
    public async Task HttpHealthCheck_HealthyThenUnhealthy_KillsTheTaskSayingWhy()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var port = FreeTcpPort();
        var task = harness.NewTask(
            $$"""{"command": "mkdir -p www && echo ok > www/ok && cd www && exec /usr/bin/python3 -m http.server {{port}} --bind 127.0.0.1"}""",
            t => t.HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = (uint)port, Path = "/ok" },
                DelaySeconds = 0,
                IntervalSeconds = 0.2,
                TimeoutSeconds = 2,
                ConsecutiveFailures = 2,
                GracePeriodSeconds = 20,
            });

        await harness.Agent.LaunchAsync(task);
        var healthy = await harness.Agent.WaitForUpdateAsync(u => u.TaskId.Value == task.TaskId.Value && u.HasHealthy && u.Healthy, TestTimeouts.Await);
        File.Delete(Path.Combine(harness.Executor.SandboxDirectory, "www", "ok")); // now 404
        var killed = await harness.WaitForAsync(task, TaskState.TaskKilled);

        Assert.Equal(Reason.TaskHealthCheckStatusUpdated, healthy.Reason);
        Assert.Equal(TaskState.TaskRunning, healthy.State);
        var unhealthy = harness.Agent.Updates.Where(u => u.TaskId.Value == task.TaskId.Value && u.HasHealthy && !u.Healthy && u.State == TaskState.TaskRunning).ToList();
        Assert.NotEmpty(unhealthy);
        Assert.StartsWith("Task killed by its health check after 2 consecutive failures (last: ", killed.Message, StringComparison.Ordinal);
        Assert.True(killed.HasHealthy && !killed.Healthy, "the terminal update says unhealthy");
        harness.AssertNoTaskProcessLeft("after TASK_KILLED");
    }

    [Fact]
    public async Task MaxCompletionTime_FailsTheTaskWithItsReason()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask(
            """{"command": "sleep 300 & sleep 300"}""",
            t => t.MaxCompletionTime = new DurationInfo { Nanoseconds = 1_000_000_000 });

        await harness.Agent.LaunchAsync(task);
        var failed = await harness.WaitForAsync(task, TaskState.TaskFailed);

        Assert.Equal(Reason.MaxCompletionTimeReached, failed.Reason);
        Assert.Equal("Task reached its max_completion_time of 1s", failed.Message);
        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFailed], harness.StatesOf(task));
        harness.AssertNoTaskProcessLeft("after TASK_FAILED");
    }

    [Fact]
    public async Task ExecutorSigkilled_TaskProcessesDieWithIt()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "sleep 300 & (setsid sh -c 'sleep 300 & exec sleep 301' &); echo forked; sleep 300"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskRunning);
        await WaitForOutputAsync(Path.Combine(harness.TaskOutputDirectory(task), "stdout"), "forked");
        Assert.NotEmpty(harness.LiveTaskProcesses());
        _ = Mesos.Executor.Runner.Processes.Native.Libc.kill(harness.Executor.Id, 9);
        await harness.Executor.WaitForExitAsync(TestTimeouts.Await);

        // Nobody is left to report: the processes must die by themselves (parent-death signal and guard).
        await harness.WaitUntilNoTaskProcessAsync(TimeSpan.FromSeconds(10), "the executor was SIGKILLed");
    }

    private static async Task WaitForOutputAsync(string file, string text)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Await;
        while (!(File.Exists(file) && (await File.ReadAllTextAsync(file)).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' did not appear in {file} within {TestTimeouts.Await}");
            await Task.Delay(50);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
