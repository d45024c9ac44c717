using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Processes.Output;
using Mesos.Executor.Runner.Tasks;
using Mesos.Executor.Runner.Tests.Support;

namespace Mesos.Executor.Runner.Tests.Tasks;

public sealed class ProcessSetSupervisorTests : IDisposable
{
    private readonly ProcessLeakGuard _guard = new();
    private readonly WatchedFiles _files = new();

    public void Dispose() => _guard.Dispose();

    private SupervisorOptions Options(TimeProvider? time = null) => new()
    {
        Sandbox = _guard.Sandbox,
        BaseEnvironment = _guard.BaseEnvironment,
        Output = new OutputOptions { Directory = _guard.Sandbox, OpenFile = _files.Open },
        StopGracePeriod = TimeSpan.FromMilliseconds(500),
        TimeProvider = time ?? TimeProvider.System,
    };

    private static TaskSpec Spec(string json) => TaskPayloadParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task ThreeProcesses_FlakyWorkerRestartsUntilItRuns_TaskRunningThenKilled()
    {
        // "worker" fails twice (exit 4), then runs; "init" is a non-essential one-shot that exits 0.
        var spec = Spec("""
            {"environment": {"GREETING": "hi"},
             "processes": [
               {"name": "web", "command": "echo web $GREETING; exec sleep 60"},
               {"name": "worker", "command": "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ] && exec sleep 60; exit 4",
                "restart": {"policy": "on-failure", "max_restarts": 5, "backoff": {"initial": "10ms", "max": "20ms", "factor": 2}}},
               {"name": "init", "command": "echo init done", "essential": false}]}
            """);
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options());
        var log = new EventLog(supervisor);

        await log.WaitForAsync<TaskRunning>();
        await log.WaitForAsync<ProcessStarted>(e => e is { Process: "worker", Restarts: 2 });
        await _files.WaitForAsync("web.stdout", "web hi\n");
        supervisor.Stop(TimeSpan.FromSeconds(5));
        var outcome = await supervisor.Completion.Bounded();

        var events = await log.AllAsync();
        Assert.Equal(TaskOutcomeKind.Killed, outcome.Kind);
        Assert.Equal(
            [new ProcessRestartScheduled("worker", 1, TimeSpan.FromMilliseconds(10)), new ProcessRestartScheduled("worker", 2, TimeSpan.FromMilliseconds(20))],
            events.OfType<ProcessRestartScheduled>());
        Assert.Equal(3, events.OfType<ProcessStarted>().Count(e => e.Process == "worker"));
        Assert.Contains(new ProcessExited("init", events.OfType<ProcessStarted>().Single(e => e.Process == "init").Pid, ProcessExitStatus.Exited(0), ProcessStopReason.None), events);
        Assert.Single(events.OfType<TaskRunning>()); // reported once, however often a process restarts
        Assert.IsType<TaskEnded>(events[^1]);
        Assert.Equal("init done\n", _files.Text("init.stdout"));
        _guard.AssertNoneLeft();
    }

    [Fact]
    public async Task EssentialProcess_FailsPastItsBudget_TaskFailsNamingProcessAndExitCode()
    {
        var spec = Spec("""
            {"processes": [
               {"name": "db", "command": "exec sleep 60"},
               {"name": "app", "command": "exit 3", "restart": {"policy": "on-failure", "max_restarts": 1, "backoff": {"initial": "10ms"}}}]}
            """);
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options());
        var log = new EventLog(supervisor);

        var outcome = await supervisor.Completion.Bounded();

        var events = await log.AllAsync();
        Assert.Equal(new TaskOutcome(TaskOutcomeKind.Failed, "process 'app' failed with exit code 3 after 1 restart (restart budget of 1 used up)"), outcome);
        Assert.Contains(events, e => e is ProcessExited { Process: "db", StoppedBy: ProcessStopReason.Graceful, Status.Signal: 15 });
        _guard.AssertNoneLeft();
    }

    [Fact]
    public async Task SingleCommand_KilledBySignal_FailureNamesTheSignal()
    {
        await using var supervisor = ProcessSetSupervisor.Start(Spec("""{"command": "kill -KILL $$"}"""), Options());

        var outcome = await supervisor.Completion.Bounded();

        Assert.Equal(new TaskOutcome(TaskOutcomeKind.Failed, "process 'main' failed with signal SIGKILL (9)"), outcome);
    }

    [Fact]
    public async Task SingleCommand_ExitZero_FinishedWithPlainOutputFiles()
    {
        await using var supervisor = ProcessSetSupervisor.Start(Spec("""{"command": "echo out; echo err >&2"}"""), Options());

        var outcome = await supervisor.Completion.Bounded();

        Assert.Equal(TaskOutcomeKind.Finished, outcome.Kind);
        Assert.Equal("out\n", _files.Text("stdout"));
        Assert.Equal("err\n", _files.Text("stderr"));
    }

    [Fact]
    public async Task EssentialProcessesFinish_NonEssentialHelperIsStopped_Finished()
    {
        var spec = Spec("""
            {"processes": [
               {"name": "a", "command": "exit 0"},
               {"name": "b", "command": "true"},
               {"name": "sidecar", "command": "exec sleep 60", "essential": false}]}
            """);
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options());
        var log = new EventLog(supervisor);

        var outcome = await supervisor.Completion.Bounded();

        Assert.Equal(TaskOutcomeKind.Finished, outcome.Kind);
        Assert.Contains(await log.AllAsync(), e => e is ProcessExited { Process: "sidecar", StoppedBy: ProcessStopReason.Graceful });
        _guard.AssertNoneLeft();
    }

    [Fact]
    public async Task NonEssentialProcessFails_TaskKeepsRunning()
    {
        var spec = Spec("""
            {"processes": [
               {"name": "web", "command": "exec sleep 60"},
               {"name": "optional", "command": "exit 9", "essential": false}]}
            """);
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options());
        var log = new EventLog(supervisor);

        await log.WaitForAsync<ProcessExited>(e => e.Process == "optional");
        await log.WaitForAsync<TaskRunning>();
        Assert.False(supervisor.Completion.IsCompleted);
        supervisor.Stop(TimeSpan.Zero);

        Assert.Equal(TaskOutcomeKind.Killed, (await supervisor.Completion.Bounded()).Kind);
    }

    [Fact]
    public async Task EssentialProcessCannotStart_ErrorNamesProcessAndReason()
    {
        var spec = Spec("""
            {"processes": [
               {"name": "web", "command": "exec sleep 60"},
               {"name": "tool", "command": "/nonexistent/tool", "shell": false, "arguments": ["tool", "--x"]}]}
            """);
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options());

        var outcome = await supervisor.Completion.Bounded();

        Assert.Equal(new TaskOutcome(TaskOutcomeKind.Error, "process 'tool' could not start: executable '/nonexistent/tool' does not exist"), outcome);
        _guard.AssertNoneLeft();
    }

    [Fact]
    public async Task Stop_ProcessIgnoresSigterm_SigkillWhenGraceEnds_SecondStopShortensGrace()
    {
        var time = new ManualTimeProvider();
        var spec = Spec("""{"processes": [{"name": "stubborn", "command": "trap '' TERM; echo ready; sleep 60 & wait; sleep 60"}]}""");
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options(time));
        var log = new EventLog(supervisor);
        await _files.WaitForAsync("stubborn.stdout", "ready");

        supervisor.Stop(TimeSpan.FromHours(1));
        await log.WaitForAsync<TaskStopping>();
        supervisor.Stop(TimeSpan.FromHours(2)); // longer: ignored
        supervisor.Stop(TimeSpan.FromMinutes(1)); // shorter: re-arms the kill
        time.Advance(TimeSpan.FromMinutes(1));
        var outcome = await supervisor.Completion.Bounded();

        Assert.Equal(TaskOutcomeKind.Killed, outcome.Kind);
        var exited = await log.WaitForAsync<ProcessExited>();
        Assert.Equal(ProcessStopReason.Forceful, exited.StoppedBy);
        Assert.Equal(9, exited.Status.Signal);
        _guard.AssertNoneLeft();
    }

    [Fact]
    public async Task Restart_Backoff_WaitsForTheInjectedClock()
    {
        var time = new ManualTimeProvider();
        var spec = Spec("""{"command": "exit 1"}""") is var single
            ? single with { Processes = [single.Processes[0] with { Restart = new RestartPolicy { Kind = RestartKind.OnFailure, InitialBackoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1) } }] }
            : throw new InvalidOperationException();
        var timerArmed = time.NextTimerAsync();
        await using var supervisor = ProcessSetSupervisor.Start(spec, Options(time));
        var log = new EventLog(supervisor);

        var scheduled = await log.WaitForAsync<ProcessRestartScheduled>();
        await timerArmed;
        Assert.Equal(TimeSpan.FromHours(1), scheduled.Delay);
        Assert.Single(log.Events.OfType<ProcessStarted>());
        time.Advance(TimeSpan.FromHours(1));
        var restarted = await log.WaitForAsync<ProcessStarted>(e => e.Restarts == 1);
        supervisor.Stop(TimeSpan.Zero);

        Assert.Equal("main", restarted.Process);
        Assert.Equal(TaskOutcomeKind.Killed, (await supervisor.Completion.Bounded()).Kind);
    }
}
