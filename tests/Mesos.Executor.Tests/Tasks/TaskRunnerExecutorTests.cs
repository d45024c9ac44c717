using System.Collections.Concurrent;
using Mesos.Executor.Client;
using Mesos.Executor.Hosting;
using Mesos.Executor.Tasks;
using Mesos.Executor.Tests.Support;
using Mesos.Protocol.Encoding;
using Mesos.Testing.Agent;
using Mesos.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Call = Mesos.V1.Executor.Call;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Tests.Tasks;

public sealed class TaskRunnerExecutorTests
{
    public static TheoryData<MesosEncoding> Encodings => new(MesosEncoding.Json, MesosEncoding.Protobuf);

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Launch_RunsTheTask_AndExitsOnceEverythingIsAcknowledged(MesosEncoding encoding)
    {
        await using var run = await HostedRun.StartAsync(encoding);

        await run.Agent.LaunchAsync(Task("t-1", "finish")).Bounded();

        Assert.Equal(0, await run.ExitCode.Bounded());
        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], run.StatesOf("t-1"));
        Assert.Empty(run.Agent.Unacknowledged);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task ClientStartedBeforeTheHost_SubscribesOnce_AndTheHostRunsItsTasks(MesosEncoding encoding)
    {
        await using var run = await HostedRun.StartAsync(encoding, subscribeBeforeTheHost: true);

        await run.Agent.LaunchAsync(Task("t-1", "finish")).Bounded();

        Assert.Equal(0, await run.ExitCode.Bounded());
        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], run.StatesOf("t-1"));
        Assert.Single(run.Agent.Calls, c => c.Call?.Type == Call.Types.Type.Subscribe);
    }

    [Fact]
    public async Task Runner_Failing_IsReportedAsTaskFailedWithItsMessage()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Protobuf);
        await run.Agent.LaunchAsync(Task("keeps-the-executor-busy", "wait")).Bounded();

        await run.Agent.LaunchAsync(Task("t-1", "fail")).Bounded();

        var failed = await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskFailed);
        Assert.Equal("Command exited with status 3", failed.Message);
        await run.Agent.LaunchAsync(Task("t-2", "throw")).Bounded();
        var thrown = await run.Agent.WaitForUpdateAsync("t-2", TaskState.TaskFailed);
        Assert.Contains("runner exploded", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Kill_SendsTaskKillingFirst_AndUsesTheEventsGracePeriod(MesosEncoding encoding)
    {
        await using var run = await HostedRun.StartAsync(encoding);
        await run.Agent.LaunchAsync(Task("t-1", "wait", killGrace: TimeSpan.FromSeconds(30))).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await run.Agent.KillAsync("t-1", TimeSpan.FromSeconds(7)).Bounded();

        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled], run.StatesOf("t-1"));
        Assert.Equal(TimeSpan.FromSeconds(7), run.Runner.GraceAtKill["t-1"]);
    }

    [Fact]
    public async Task Kill_WithoutPolicies_UsesTheTasksPolicyElseThreeSeconds()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json);
        await run.Agent.LaunchAsync(Task("t-1", "wait", killGrace: TimeSpan.FromSeconds(11))).Bounded();
        await run.Agent.LaunchAsync(Task("t-2", "wait")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-2", TaskState.TaskRunning);
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await run.Agent.KillAsync("t-1").Bounded();
        await run.Agent.KillAsync("t-2").Bounded();

        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        await run.Agent.WaitForUpdateAsync("t-2", TaskState.TaskKilled);
        Assert.Equal(TimeSpan.FromSeconds(11), run.Runner.GraceAtKill["t-1"]);
        Assert.Equal(TimeSpan.FromSeconds(3), run.Runner.GraceAtKill["t-2"]);
    }

    [Fact]
    public async Task Kill_WhenTheFrameworkLacksTaskKillingState_SendsNoTaskKilling()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json, new FakeAgentOptions { FrameworkCapabilities = [] });
        await run.Agent.LaunchAsync(Task("t-1", "wait")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await run.Agent.KillAsync("t-1").Bounded();

        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        Assert.DoesNotContain(TaskState.TaskKilling, run.StatesOf("t-1"));
    }

    [Fact]
    public async Task SecondKill_WithAShorterGrace_ForcesTheKillSooner()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json);
        await run.Agent.LaunchAsync(Task("t-1", "ignore-sigterm")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);
        await run.Runner.RunningAsync("t-1");

        await run.Agent.KillAsync("t-1", TimeSpan.FromMinutes(10)).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilling);
        await run.Agent.KillAsync("t-1", TimeSpan.FromMinutes(20)).Bounded();
        await run.Agent.KillAsync("t-1", TimeSpan.Zero).Bounded();

        var killed = await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        Assert.Equal("forced", killed.Message);
        Assert.Single(run.StatesOf("t-1"), TaskState.TaskKilling);
    }

    [Fact]
    public async Task Kill_OfAnUnknownTask_IsAnsweredWithATerminalStatus()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json);

        await run.Agent.KillAsync("nobody").Bounded();

        var lost = await run.Agent.WaitForUpdateAsync("nobody", TaskState.TaskLost);
        Assert.Equal(TaskStatus.Types.Reason.TaskUnknown, lost.Reason);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task LaunchGroup_AMemberFailing_KillsTheRest(MesosEncoding encoding)
    {
        await using var run = await HostedRun.StartAsync(encoding);
        var group = new TaskGroupInfo();
        group.Tasks.Add(Task("g-wait", "wait"));
        group.Tasks.Add(Task("g-fail", "fail-after-running-sibling"));

        await run.Agent.LaunchGroupAsync(group).Bounded();

        await run.Agent.WaitForUpdateAsync("g-fail", TaskState.TaskFailed);
        await run.Agent.WaitForUpdateAsync("g-wait", TaskState.TaskKilled);
        Assert.Equal(0, await run.ExitCode.Bounded());
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Shutdown_KillsEveryTask_WaitsForTheAcknowledgements_AndExitsZero(MesosEncoding encoding)
    {
        await using var run = await HostedRun.StartAsync(encoding, new FakeAgentOptions { Acknowledgements = AcknowledgementPolicy.Delayed });
        await run.Agent.LaunchAsync(Task("t-1", "wait")).Bounded();
        await run.Agent.LaunchAsync(Task("t-2", "wait")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);
        await run.Agent.WaitForUpdateAsync("t-2", TaskState.TaskRunning);

        await run.Agent.ShutdownAsync().Bounded();

        Assert.Equal(0, await run.ExitCode.Bounded());
        Assert.Equal(TaskState.TaskKilled, run.StatesOf("t-1")[^1]);
        Assert.Equal(TaskState.TaskKilled, run.StatesOf("t-2")[^1]);
        Assert.Empty(run.Agent.Unacknowledged);
        // Shutdown grace 5 s minus the 2 s margin.
        Assert.Equal(TimeSpan.FromSeconds(3), run.Runner.GraceAtKill["t-1"]);
    }

    [Fact]
    public async Task Shutdown_WithMoreAcknowledgementsThanTheEventBuffer_DoesNotWaitForTheGracePeriod()
    {
        // 200 tasks: 400 acknowledgements (KILLING, KILLED) arrive while the executor handles SHUTDOWN, more than the
        // client's event buffer holds. The grace period is far longer than the bound on the await, so a shutdown that
        // stalls on its acknowledgements until the grace ends fails the test.
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json, shutdownGracePeriod: TimeSpan.FromMinutes(10));
        const int count = 200;
        for (int i = 0; i < count; i++)
        {
            await run.Agent.LaunchAsync(Task($"t-{i}", "wait")).Bounded();
        }

        await run.Agent.WaitUntilAsync(a => a.Updates.Count(u => u.State == TaskState.TaskRunning) == count, TestTimeouts.Default, "every task RUNNING");
        await run.Agent.WaitUntilAsync(a => a.Unacknowledged.Count == 0, TestTimeouts.Default, "every update acknowledged");

        await run.Agent.ShutdownAsync().Bounded();

        Assert.Equal(0, await run.ExitCode.Bounded());
        Assert.Equal(count, run.Agent.Updates.Count(u => u.State == TaskState.TaskKilled));
    }

    [Fact]
    public async Task AgentLost_WithoutCheckpointing_KillsTheTasks_AndExitsNonZero()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json);
        await run.Agent.LaunchAsync(Task("t-1", "wait")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        run.Agent.DropStream(abort: true);

        Assert.Equal(1, await run.ExitCode.Bounded());
        Assert.True(run.Runner.GraceAtKill.ContainsKey("t-1"));
    }

    [Fact]
    public async Task AgentRestart_WithCheckpointing_TaskKeepsRunning_AndUpdatesFlowAfterwards()
    {
        await using var run = await HostedRun.StartAsync(MesosEncoding.Json, new FakeAgentOptions { Checkpoint = true });
        await run.Agent.LaunchAsync(Task("t-1", "wait")).Bounded();
        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskRunning);

        await run.Agent.RestartAsync(TimeSpan.FromMilliseconds(300)).Bounded();
        await run.Agent.WaitForSubscribeAsync(2);
        await run.Agent.KillAsync("t-1").Bounded();

        await run.Agent.WaitForUpdateAsync("t-1", TaskState.TaskKilled);
        Assert.Equal(0, await run.ExitCode.Bounded());
    }

    private static TaskInfo Task(string id, string behaviour, TimeSpan? killGrace = null)
    {
        var task = new TaskInfo { Name = id, TaskId = new TaskID { Value = id }, Data = Google.Protobuf.ByteString.CopyFromUtf8(behaviour) };
        if (killGrace is { } grace)
        {
            task.KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = grace.Ticks * 100 } };
        }

        return task;
    }

    /// <summary>A runner whose behaviour is named by the task's data.</summary>
    internal sealed class ScriptedRunner : ITaskRunner
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _running = new();

        public ConcurrentDictionary<string, TimeSpan> GraceAtKill { get; } = new();

        /// <summary>
        /// Completes once the runner's RUNNING update has returned: the agent records the update before its answer
        /// reaches the runner, and a KILL in between cancels that update (TASK_KILLED without the script's message).
        /// </summary>
        public Task RunningAsync(string taskId) => _running.GetOrAdd(taskId, _ => new()).Task.WaitAsync(TestTimeouts.Default);

        public async Task<TaskResult> RunAsync(TaskInfo task, ITaskContext context, CancellationToken kill)
        {
            using var record = kill.Register(() => GraceAtKill[task.TaskId.Value] = context.KillGracePeriod);
            await context.UpdateAsync(TaskState.TaskRunning, cancellationToken: kill);
            _running.GetOrAdd(task.TaskId.Value, _ => new()).TrySetResult();
            switch (task.Data.ToStringUtf8())
            {
                case "finish":
                    return TaskResult.Finished();
                case "fail":
                    return TaskResult.Failed("Command exited with status 3");
                case "throw":
                    throw new InvalidOperationException("runner exploded");
                case "fail-after-running-sibling":
                    var sibling = context.Group!.Tasks.First(t => t.TaskId.Value != task.TaskId.Value).TaskId.Value;
                    await _running.GetOrAdd(sibling, _ => new()).Task.WaitAsync(TestTimeouts.Default, kill);
                    return TaskResult.Failed("Command exited with status 3");
                case "ignore-sigterm":
                    await WaitAsync(context.ForceKill);
                    return TaskResult.Killed("forced");
                default:
                    await WaitAsync(kill);
                    return TaskResult.Killed();
            }
        }

        private static async Task WaitAsync(CancellationToken token)
        {
            try
            {
                await System.Threading.Tasks.Task.Delay(TestTimeouts.Default, token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private sealed class HostedRun : IAsyncDisposable
    {
        private readonly IHost _host;

        private HostedRun(FakeAgent agent, IHost host, ScriptedRunner runner)
        {
            Agent = agent;
            _host = host;
            Runner = runner;
        }

        public FakeAgent Agent { get; }

        public ScriptedRunner Runner { get; }

        public Task<int> ExitCode => _host.Services.GetRequiredService<MesosExecutorLifetime>().Completion;

        public static async Task<HostedRun> StartAsync(
            MesosEncoding encoding, FakeAgentOptions? options = null, TimeSpan? shutdownGracePeriod = null, bool subscribeBeforeTheHost = false)
        {
            var agent = await FakeAgent.StartAsync(options).Bounded();
            var runner = new ScriptedRunner();
            var executorOptions = new MesosExecutorOptions
            {
                Settings = ExecutorHarness.Settings(agent, encoding) with
                {
                    ShutdownGracePeriod = shutdownGracePeriod ?? ExecutorHarness.Settings(agent, encoding).ShutdownGracePeriod,
                },
                SetProcessExitCode = false,
            };
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddSingleton(runner);
            if (subscribeBeforeTheHost)
            {
                // As the runner's Program does: the client subscribes while the host is being built.
                var client = MesosExecutorClient.Create(executorOptions.Settings, executorOptions);
                client.Start();
                await agent.WaitForSubscribeAsync();
                builder.Services.AddMesosTaskRunner<ScriptedRunner>(client);
            }
            else
            {
                builder.Services.AddMesosTaskRunner<ScriptedRunner>(executorOptions);
            }

            var host = builder.Build();
            await host.StartAsync().Bounded();
            await agent.WaitForSubscribeAsync();
            return new HostedRun(agent, host, runner);
        }

        public TaskState[] StatesOf(string taskId) => [.. Agent.Updates.Where(u => u.TaskId.Value == taskId).Select(u => u.State)];

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync().Bounded();
            _host.Dispose();
            await Agent.DisposeAsync();
        }
    }
}
