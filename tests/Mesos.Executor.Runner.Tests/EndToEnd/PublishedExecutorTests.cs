using Mesos.Executor.Runner.Tests.Support;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>The published single-file executor, started by the fake agent as Mesos starts it, running real tasks.</summary>
[Collection(PublishedExecutorCollection.Name)]
public sealed class PublishedExecutorTests(PublishedExecutor published)
{
    [Fact]
    public async Task TaskExitingZero_IsStartingRunningThenFinished()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "echo hello from the task"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskFinished);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], harness.StatesOf(task));
        var output = Path.Combine(harness.Executor.SandboxDirectory, "tasks", task.TaskId.Value, "stdout");
        Assert.Contains("hello from the task", await File.ReadAllTextAsync(output));
        // Every task done and acknowledged: the executor exits by itself, successfully.
        var exitCode = await harness.Executor.WaitForExitAsync(TestTimeouts.Await);
        Assert.True(exitCode == 0, $"exit code {exitCode}; executor log:\n{harness.Executor.ReadStderr()}");
    }

    [Fact]
    public async Task OnACpuWithoutAvx2_ThePrecompiledCodeIsSetAsideAndTasksStillRun()
    {
        // publish-executor.sh precompiles for x86-64-v3 (AVX2). DOTNET_EnableAVX2=0 makes the runtime treat this CPU
        // as one without it: the executor must still subscribe and run tasks (JIT-compiled, slower to start).
        await using var harness = await ExecutorHarness.StartAsync(published, configure: o => o with
        {
            CommandEnvironment = new Dictionary<string, string>(o.CommandEnvironment) { ["DOTNET_EnableAVX2"] = "0" },
        });
        var task = harness.NewTask("""{"command": "exit 0"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskFinished);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], harness.StatesOf(task));
        var exitCode = await harness.Executor.WaitForExitAsync(TestTimeouts.Await);
        Assert.True(exitCode == 0, $"exit code {exitCode}; executor log:\n{harness.Executor.ReadStderr()}");
    }

    [Fact]
    public async Task TaskExitingThree_IsFailedWithTheExitCodeNamed()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "exit 3"}""");

        await harness.Agent.LaunchAsync(task);
        var failed = await harness.WaitForAsync(task, TaskState.TaskFailed);

        Assert.Contains("exit code 3", failed.Message, StringComparison.Ordinal);
        Assert.Equal(TaskStatus.Types.Source.Executor, failed.Source);
    }

    [Fact]
    public async Task PayloadThatCannotBeUnderstood_IsTaskErrorSayingWhy()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"comand": "typo"}""");

        await harness.Agent.LaunchAsync(task);
        var error = await harness.WaitForAsync(task, TaskState.TaskError);

        Assert.Contains("comand", error.Message, StringComparison.Ordinal);
        Assert.Equal(TaskStatus.Types.Reason.TaskInvalid, error.Reason);
    }

    [Fact]
    public async Task Kill_OfATaskIgnoringSigterm_IsKillingThenKilledAfterTheGrace()
    {
        await using var harness = await ExecutorHarness.StartAsync(published);
        var task = harness.NewTask("""{"command": "trap '' TERM; sleep 60 & wait; sleep 60"}""");

        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskRunning);
        await harness.Agent.KillAsync(task.TaskId.Value, TimeSpan.FromSeconds(1));
        var killed = await harness.WaitForAsync(task, TaskState.TaskKilled);

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled], harness.StatesOf(task));
        Assert.Empty(harness.LiveTaskProcesses());
        Assert.NotNull(killed.Message);
    }
}
