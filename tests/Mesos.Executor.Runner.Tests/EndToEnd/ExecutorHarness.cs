using Google.Protobuf;
using Mesos.Executor.Runner.Tests.Support;
using Mesos.Testing.Agent;
using AgentID = Mesos.V1.AgentID;
using TaskID = Mesos.V1.TaskID;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>
/// One end-to-end scenario: a fake agent, the published executor started by it exactly as Mesos does
/// (sandbox, MESOS_* environment only), and a leak guard whose test id every task process inherits.
/// Disposing shuts the executor down and proves no process of the scenario is left.
/// </summary>
internal sealed class ExecutorHarness : IAsyncDisposable
{
    private int _taskCounter;

    private ExecutorHarness(FakeAgent agent, ExecutorProcess executor, string scenarioId)
    {
        Agent = agent;
        Executor = executor;
        ScenarioId = scenarioId;
    }

    /// <summary>The value of <see cref="ProcessLeakGuard.Variable"/> that the executor and every task process carry.</summary>
    public string ScenarioId { get; }

    public FakeAgent Agent { get; }

    public ExecutorProcess Executor { get; }

    public static async Task<ExecutorHarness> StartAsync(
        PublishedExecutor published,
        FakeAgentOptions? options = null,
        Func<ExecutorProcessOptions, ExecutorProcessOptions>? configure = null)
    {
        var agent = await FakeAgent.StartAsync(options);
        var scenarioId = Guid.NewGuid().ToString("N");
        configure ??= o => o;
        var executor = await agent.StartExecutorProcessAsync(configure(new ExecutorProcessOptions
        {
            FileName = published.Path,
            // As ExecutorInfo.command.environment would: the executor passes it on to its tasks.
            CommandEnvironment = new Dictionary<string, string> { [ProcessLeakGuard.Variable] = scenarioId },
            RegistrationTimeout = TimeSpan.FromSeconds(60),
            ShutdownGracePeriod = TimeSpan.FromSeconds(5),
        }));
        var harness = new ExecutorHarness(agent, executor, scenarioId);
        await agent.WaitForSubscribeAsync(timeout: TestTimeouts.Await);
        return harness;
    }

    public TaskInfo NewTask(string payloadJson, Action<TaskInfo>? configure = null)
    {
        var task = new TaskInfo
        {
            Name = "e2e",
            TaskId = new TaskID { Value = $"task-{Interlocked.Increment(ref _taskCounter)}-{Guid.NewGuid():N}"[..24] },
            AgentId = new AgentID { Value = Agent.Options.AgentId },
            Data = ByteString.CopyFromUtf8(payloadJson),
        };
        configure?.Invoke(task);
        return task;
    }

    public Task<TaskStatus> WaitForAsync(TaskInfo task, TaskState state, TimeSpan? timeout = null) =>
        Agent.WaitForUpdateAsync(task.TaskId.Value, state, timeout ?? TestTimeouts.Await);

    public IReadOnlyList<TaskState> StatesOf(TaskInfo task) =>
        Agent.Updates.Where(u => u.TaskId.Value == task.TaskId.Value).Select(u => u.State).ToList();

    /// <summary>The sandbox folder that holds the task's output files.</summary>
    public string TaskOutputDirectory(TaskInfo task) => Path.Combine(Executor.SandboxDirectory, "tasks", task.TaskId.Value);

    /// <summary>Fails with the list when any process of this scenario (other than the executor) is alive.</summary>
    public void AssertNoTaskProcessLeft(string when)
    {
        var left = LiveTaskProcesses();
        Assert.True(left.Count == 0, $"{when}: task processes still alive: {string.Join(", ", left.Select(ProcessScan.Describe))}");
    }

    /// <summary>Waits (bounded) until no process of this scenario is alive: for deaths the executor cannot report.</summary>
    public async Task WaitUntilNoTaskProcessAsync(TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (LiveTaskProcesses().Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                AssertNoTaskProcessLeft($"{timeout} after {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Processes (other than the executor) still carrying this scenario's test id.</summary>
    public IReadOnlyList<int> LiveTaskProcesses() => ProcessScan.WithVariable(ProcessLeakGuard.Variable, ScenarioId, exclude: Executor.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Executor.HasExited)
            {
                try
                {
                    await Agent.ShutdownAsync();
                }
                catch (InvalidOperationException)
                {
                    // Already unsubscribed: every task ended and the executor is on its way out by itself.
                }

                await Executor.WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
        }
        finally
        {
            await Executor.DisposeAsync();
            await Agent.DisposeAsync();
            var left = ProcessScan.WithVariable(ProcessLeakGuard.Variable, ScenarioId, exclude: null);
            foreach (var pid in left)
            {
                _ = Mesos.Executor.Runner.Processes.Native.Libc.kill(pid, 9);
            }

            Assert.True(left.Count == 0, $"processes of this scenario outlived it: {string.Join(", ", left)}");
        }
    }
}
