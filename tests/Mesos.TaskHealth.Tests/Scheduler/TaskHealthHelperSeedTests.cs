using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Mesos.TaskHealth.Tests.Support;

namespace Mesos.TaskHealth.Tests.Scheduler;

/// <summary>
/// mesos-framework's documented taskHealthHelper behaviours (README "taskHealthHelper" and
/// lib/taskHealthHelper.js), one test each, plus the two gaps the seed has (no timeout, no zero values).
/// </summary>
public sealed class TaskHealthHelperSeedTests(TargetServer server) : IClassFixture<TargetServer>
{
    private readonly List<HealthCheckedTask> _tasks = [];
    private readonly ConcurrentQueue<TaskUnhealthyEvent> _errors = new();

    private HealthCheckedTask AddTask(string id, string name = "web", int? port = null, bool running = true, string host = "127.0.0.1")
    {
        var task = new HealthCheckedTask(id, name, host, [port ?? server.Port]) { IsRunning = running };
        _tasks.Add(task);
        return task;
    }

    private TaskHealthHelper Helper(TaskHealthHelperOptions options, TimeProvider? clock = null) =>
        new(TaskSource.FromDelegate(() => _tasks.ToList()), options with { OnError = Record }, timeProvider: clock);

    private ValueTask Record(TaskUnhealthyEvent error)
    {
        _errors.Enqueue(error);
        return ValueTask.CompletedTask;
    }

    private static object? Property(TaskHealthHelper helper, string taskId, string name) =>
        helper.Properties.TryGetValue(taskId, name, out var value) ? value : null;

    [Fact]
    public void Url_IsRequired()
    {
        var ex = Assert.Throws<ArgumentException>(() => Helper(new TaskHealthHelperOptions { Url = "" }));

        Assert.Contains("TaskHealthHelperOptions.Url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheSeeds()
    {
        var options = new TaskHealthHelperOptions { Url = "/health" };

        Assert.Equal(TimeSpan.FromSeconds(30), options.Interval);
        Assert.Equal(4, options.GraceCount);
        Assert.Equal(0, options.PortIndex);
        Assert.Equal("", options.PropertyPrefix);
        Assert.Equal("task_unhealthy", options.EffectiveErrorEvent);
        Assert.Empty(options.AdditionalProperties);
        Assert.Null(options.TaskNameFilter);
        Assert.Equal(StatusCodeSet.Of(200), options.StatusCodes);
        Assert.Null(options.CheckBodyFunction);
        Assert.Equal("checkFailCount", options.CheckFailCountProperty);
        Assert.Equal("healthy", options.HealthyProperty);
    }

    [Fact]
    public async Task Success_SetsHealthyAndResetsTheFailCount()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok" });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(true, Property(helper, "t1", "healthy"));
        Assert.Equal(0, Property(helper, "t1", "checkFailCount"));
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task OnlyRunningTasks_AreChecked()
    {
        AddTask("running");
        AddTask("staging", running: false);
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok" });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(true, Property(helper, "running", "healthy"));
        Assert.Empty(helper.Properties.Get("staging"));
    }

    [Fact]
    public async Task TaskNameFilter_SelectsTheTasksToCheck()
    {
        AddTask("a", name: "web-1");
        AddTask("b", name: "worker-1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok", TaskNameFilter = new Regex("^web-") });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(true, Property(helper, "a", "healthy"));
        Assert.Empty(helper.Properties.Get("b"));
    }

    [Fact]
    public async Task TheCheckedPort_IsPortsAtPortIndex()
    {
        var closed = Ports.Closed();
        _tasks.Add(new HealthCheckedTask("second-open", "web", "127.0.0.1", [closed, server.Port]));
        _tasks.Add(new HealthCheckedTask("no-such-index", "web", "127.0.0.1", [server.Port]));
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok", PortIndex = 1 });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(true, Property(helper, "second-open", "healthy"));
        Assert.Empty(helper.Properties.Get("no-such-index"));
    }

    [Fact]
    public async Task StatusCodes_DefaultToOnly200_AndCanBeWidened()
    {
        AddTask("t1");
        var strict = Helper(new TaskHealthHelperOptions { Url = "/redirect" });
        var widened = Helper(new TaskHealthHelperOptions { Url = "/redirect", StatusCodes = StatusCodeSet.Of(200, 302) });

        await strict.CheckRunningTasksAsync().Within();
        await widened.CheckRunningTasksAsync().Within();

        Assert.Equal(1, Property(strict, "t1", "checkFailCount"));
        Assert.Equal(true, Property(widened, "t1", "healthy"));
    }

    [Fact]
    public async Task CheckBodyFunction_GetsTheTaskAndBody_AfterTheStatusPassed()
    {
        var task = AddTask("t1");
        var seen = new ConcurrentQueue<(HealthCheckedTask Task, string Body)>();
        var helper = Helper(new TaskHealthHelperOptions
        {
            Url = "/json-down",
            CheckBodyFunction = (t, body) =>
            {
                seen.Enqueue((t, body));
                return body.Contains("\"up\"", StringComparison.Ordinal);
            },
        });
        var failingStatus = Helper(new TaskHealthHelperOptions { Url = "/fail", CheckBodyFunction = (_, _) => throw new InvalidOperationException("must not run") });

        await helper.CheckRunningTasksAsync().Within();
        await failingStatus.CheckRunningTasksAsync().Within();

        var (seenTask, seenBody) = Assert.Single(seen);
        Assert.Same(task, seenTask);
        Assert.Contains("down", seenBody, StringComparison.Ordinal);
        Assert.Equal(1, Property(helper, "t1", "checkFailCount"));
        Assert.Equal(1, Property(failingStatus, "t1", "checkFailCount"));
    }

    [Fact]
    public async Task FailuresBelowTheGraceCount_OnlyCount()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/fail", GraceCount = 4 });

        for (var i = 0; i < 3; i++)
        {
            await helper.CheckRunningTasksAsync().Within();
        }

        Assert.Equal(3, Property(helper, "t1", "checkFailCount"));
        Assert.Null(Property(helper, "t1", "healthy"));
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task ReachingTheGraceCount_MarksUnhealthy_SetsAdditionalProperties_AndRaisesTheErrorEvent()
    {
        var task = AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions
        {
            Url = "/fail",
            GraceCount = 2,
            AdditionalProperties =
            [
                new AdditionalHealthProperty("serving", SetUnhealthy: true),
                new AdditionalHealthProperty("degraded", SetUnhealthy: true, Inverse: true),
                new AdditionalHealthProperty("leader"),
            ],
        });

        await helper.CheckRunningTasksAsync().Within();
        Assert.Empty(_errors);
        await helper.CheckRunningTasksAsync().Within();

        var error = Assert.Single(_errors);
        Assert.Equal("task_unhealthy", error.EventName);
        Assert.Same(task, error.Task);
        Assert.Equal(2, error.CheckFailCount);
        Assert.Equal(ProbeFailureKind.StatusCode, error.Result.Failure);
        Assert.Equal(false, Property(helper, "t1", "healthy"));
        Assert.Equal(false, Property(helper, "t1", "serving"));
        Assert.Equal(true, Property(helper, "t1", "degraded"));
        Assert.Null(Property(helper, "t1", "leader"));
        Assert.Equal(false, error.Properties["healthy"]);
    }

    [Fact]
    public async Task LaterFailures_RaiseTheErrorEventAgain()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/fail", GraceCount = 2 });

        for (var i = 0; i < 4; i++)
        {
            await helper.CheckRunningTasksAsync().Within();
        }

        Assert.Equal([2, 3, 4], _errors.Select(e => e.CheckFailCount));
    }

    [Fact]
    public async Task ASuccess_ResetsEverything_AndSetsAdditionalPropertiesWithInverse()
    {
        var key = Guid.NewGuid().ToString("N");
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions
        {
            Url = "/switch/" + key,
            GraceCount = 1,
            AdditionalProperties =
            [
                new AdditionalHealthProperty("leader"),
                new AdditionalHealthProperty("follower", Inverse: true),
            ],
        });
        server.SetSwitch(key, 503);
        await helper.CheckRunningTasksAsync().Within();
        Assert.Equal(false, Property(helper, "t1", "healthy"));

        server.SetSwitch(key, 200);
        await helper.CheckRunningTasksAsync().Within();
        server.SetSwitch(key, 503);
        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(2, _errors.Count); // the count started again from 0 and reached the grace count again
        Assert.All(_errors, e => Assert.Equal(1, e.CheckFailCount));
        server.SetSwitch(key, 200);
        await helper.CheckRunningTasksAsync().Within();
        Assert.Equal(0, Property(helper, "t1", "checkFailCount"));
        Assert.Equal(true, Property(helper, "t1", "healthy"));
        Assert.Equal(true, Property(helper, "t1", "leader"));
        Assert.Equal(false, Property(helper, "t1", "follower"));
    }

    [Fact]
    public async Task PropertyPrefix_PrefixesTheHealthPropertiesAndTheDefaultEvent_ButNotAdditionalProperties()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions
        {
            Url = "/fail",
            GraceCount = 1,
            PropertyPrefix = "leader_",
            AdditionalProperties = [new AdditionalHealthProperty("isLeader", SetUnhealthy: true)],
        });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(1, Property(helper, "t1", "leader_checkFailCount"));
        Assert.Equal(false, Property(helper, "t1", "leader_healthy"));
        Assert.Equal(false, Property(helper, "t1", "isLeader"));
        Assert.Null(Property(helper, "t1", "healthy"));
        Assert.Equal("leader_task_unhealthy", Assert.Single(_errors).EventName);
    }

    [Fact]
    public async Task TwoHelpersWithDifferentPrefixes_ShareOneTasksProperties()
    {
        AddTask("t1");
        var store = new TaskPropertyStore();
        var source = TaskSource.FromDelegate(() => _tasks.ToList());
        var health = new TaskHealthHelper(source, new TaskHealthHelperOptions { Url = "/ok" }, store);
        var leader = new TaskHealthHelper(source, new TaskHealthHelperOptions { Url = "/fail", PropertyPrefix = "leader_" }, store);

        await health.CheckRunningTasksAsync().Within();
        await leader.CheckRunningTasksAsync().Within();

        var properties = store.Get("t1");
        Assert.Equal(true, properties["healthy"]);
        Assert.Equal(1, properties["leader_checkFailCount"]);
    }

    [Fact]
    public async Task CustomErrorEventName_IsUsed()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/fail", GraceCount = 1, ErrorEvent = "web_down" });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal("web_down", Assert.Single(_errors).EventName);
    }

    [Fact]
    public async Task ConnectionErrors_CountAsFailedChecks()
    {
        AddTask("t1", port: Ports.Closed());
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok", GraceCount = 1 });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(ProbeFailureKind.ConnectionRefused, Assert.Single(_errors).Result.Failure);
    }

    [Fact]
    public async Task Fix_EveryCheckHasATimeout()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/hang", GraceCount = 1, Timeout = TimeSpan.FromMilliseconds(300) });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(ProbeFailureKind.Timeout, Assert.Single(_errors).Result.Failure);
    }

    [Fact]
    public async Task Fix_ZeroIsAValidGraceCountAndInterval()
    {
        AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/fail", GraceCount = 0, Interval = TimeSpan.Zero });

        await helper.CheckRunningTasksAsync().Within();

        Assert.Equal(TimeSpan.Zero, helper.Options.Interval);
        Assert.Equal(1, Assert.Single(_errors).CheckFailCount);
        Assert.Equal(false, Property(helper, "t1", "healthy"));
    }

    [Fact]
    public async Task VanishedTasks_AreForgotten()
    {
        var task = AddTask("t1");
        var helper = Helper(new TaskHealthHelperOptions { Url = "/ok" });
        await helper.CheckRunningTasksAsync().Within();

        _tasks.Remove(task);
        await helper.CheckRunningTasksAsync().Within();

        Assert.DoesNotContain("t1", helper.Properties.TaskIds);
    }

    [Fact]
    public async Task StartAndStop_RunRoundsEveryIntervalFromStart_UntilStopped()
    {
        var clock = new ManualTimeProvider();
        var rounds = 0;
        var roundStarted = new SemaphoreSlim(0);
        var source = new CountingSource(() =>
        {
            Interlocked.Increment(ref rounds);
            roundStarted.Release();
        });
        await using var helper = new TaskHealthHelper(source, new TaskHealthHelperOptions { Url = "/ok" }, timeProvider: clock);

        helper.Start();
        Assert.Throws<InvalidOperationException>(helper.Start);
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, Volatile.Read(ref rounds)); // like setInterval: the first round after one interval
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await roundStarted.WaitAsync(Bounded.Timeout));
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await roundStarted.WaitAsync(Bounded.Timeout));

        await helper.StopAsync().Within();

        Assert.False(helper.IsRunning);
        Assert.Equal(0, clock.ActiveTimers);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(2, Volatile.Read(ref rounds));
    }

    private sealed class CountingSource(Action onRound) : ITaskSource
    {
        public ValueTask<IReadOnlyCollection<HealthCheckedTask>> GetTasksAsync(CancellationToken cancellationToken = default)
        {
            onRound();
            return ValueTask.FromResult<IReadOnlyCollection<HealthCheckedTask>>([]);
        }
    }
}
