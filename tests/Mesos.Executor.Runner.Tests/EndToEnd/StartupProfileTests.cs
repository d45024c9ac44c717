using Mesos.Executor.Runner.Tests.Support;
using TaskState = Mesos.V1.TaskState;

namespace Mesos.Executor.Runner.Tests.EndToEnd;

/// <summary>
/// The committed start-up profile (publish/mesos-executor.mibc) still matches the code: the published runner's partial
/// ReadyToRun image holds only the methods the profile lists, so a method renamed or added on the paths every executor
/// runs is JIT-compiled at every start until the profile is made again. Counted, not timed: the methods compiled for
/// the first time while the executor starts, runs one task and exits.
/// </summary>
[Collection(PublishedExecutorCollection.Name)]
public sealed class StartupProfileTests(PublishedExecutor published)
{
    // Measured 2026-11-21: 81 with a current profile (50 of them IL stubs and async code crossgen2 never precompiles),
    // 499 with the full image and no profile, 168 with a profile that had not seen a task finish.
    private const int MostMethodsCompiledAtFirstUse = 150;

    [Fact]
    public async Task PublishedRunner_StartingAndRunningATask_CompilesFewMethods_SoTheStartupProfileIsCurrent()
    {
        var jitLog = Path.Combine(Directory.CreateTempSubdirectory("jit-").FullName, "jit.txt");
        await using var harness = await ExecutorHarness.StartAsync(published, configure: o => o with
        {
            CommandEnvironment = new Dictionary<string, string>(o.CommandEnvironment)
            {
                ["DOTNET_JitStdOutFile"] = jitLog,
                ["DOTNET_JitDisasmSummary"] = "1",
            },
        });
        var task = harness.NewTask("""{"command": "exit 0"}""");
        await harness.Agent.LaunchAsync(task);
        await harness.WaitForAsync(task, TaskState.TaskFinished);
        Assert.Equal(0, await harness.Executor.WaitForExitAsync(TestTimeouts.Await));

        // "JIT compiled <method> [Tier0, ...]": first compilations only, not the later optimised recompilations (Tier1).
        var firstCompilations = File.ReadLines(jitLog)
            .Where(line => line.Contains("JIT compiled", StringComparison.Ordinal) && !line.Contains("[Tier1", StringComparison.Ordinal))
            .ToList();
        Assert.True(
            firstCompilations.Count <= MostMethodsCompiledAtFirstUse,
            $"{firstCompilations.Count} methods JIT-compiled at first use (at most {MostMethodsCompiledAtFirstUse} with a current profile): " +
            "the start-up profile no longer matches the code; run publish/profile-executor.sh and commit publish/mesos-executor.mibc.\n" +
            string.Join('\n', firstCompilations.Take(40)));
    }
}
