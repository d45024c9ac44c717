using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesos.Scheduler.Lite;
using TaskState = Mesos.V1.TaskState;
using V1 = Mesos.V1;

namespace Mesos.LocalCluster.Demo;

/// <summary>
/// The sample framework, on Scheduler.Lite: four specs that show what the executor does (1:N processes with a restart
/// policy, an HTTP health check that kills, a task group that fails as one, a kill with a grace period), the actions
/// that drive them (break the service once healthy, kill the stubborn task once running), and the expectations.
/// </summary>
internal sealed class SampleFramework
{
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);
    private const int HealthFailures = 3;
    private static readonly string[] Expected = ["multi-1", "web-1", "group-1-steady", "group-1-crasher", "stubborn-1"];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Progress _progress;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskTrack> _tracks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _actions = [];
    private FrameworkScheduler? _scheduler;

    public SampleFramework(Progress progress) => _progress = progress;

    /// <summary>Every task seen, by name.</summary>
    public IReadOnlyDictionary<string, TaskTrack> Tracks
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, TaskTrack>(_tracks);
            }
        }
    }

    public Task AllDone => _allDone.Task;

    public static IReadOnlyList<string> ExpectedTasks => Expected;

    public FrameworkSchedulerOptions Options(Uri master, ExecutorArtifact artifact, ulong servicePort, string serviceCommand, IReadOnlyDictionary<string, string> serviceEnvironment)
    {
        var executor = ExecutorShipping.CreateExecutorInfo(artifact, "template", "mesos-local demo executor");
        var small = new ResourceRequirements { Cpus = 0.1, Mem = 32 };
        return new FrameworkSchedulerOptions
        {
            Client = new SchedulerClientOptions
            {
                Masters = [master],
                Framework = new FrameworkOptions { Name = "mesos-local-demo", User = Environment.UserName is { Length: > 0 } user ? user : "nobody", Checkpoint = false },
            },
            StaticPorts = true,
            ReviveMinimumInterval = TimeSpan.Zero,
            Tasks = new Dictionary<string, TaskSpec>
            {
                // (a) one task, three processes; 'flaky' fails on its first run and its on-failure policy restarts it.
                ["multi"] = new()
                {
                    Executor = executor,
                    Resources = small,
                    RestartStates = [],
                    Data = Payload(new JsonObject
                    {
                        ["processes"] = new JsonArray(
                            Process("web", "echo serving; sleep 4"),
                            Process("worker", "echo working; sleep 3"),
                            Process("flaky", "if [ -e flaky.ran ]; then echo second run succeeds; sleep 1; exit 0; fi; touch flaky.ran; echo first run fails; sleep 1; exit 1",
                                new JsonObject { ["policy"] = "on-failure", ["max_restarts"] = 2, ["backoff"] = new JsonObject { ["initial"] = "250ms", ["max"] = "1secs" } })),
                    }),
                },

                // (b) an HTTP service with a health check; once healthy, the demo breaks it and the executor kills it.
                ["web"] = new()
                {
                    Executor = executor,
                    Resources = small with { FixedPorts = [servicePort] },
                    RestartStates = [],
                    Data = Payload(new JsonObject
                    {
                        ["command"] = serviceCommand,
                        ["environment"] = new JsonObject(serviceEnvironment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
                    }),
                    HealthCheck = new V1.HealthCheck
                    {
                        Type = V1.HealthCheck.Types.Type.Http,
                        Http = new V1.HealthCheck.Types.HTTPCheckInfo { Port = (uint)servicePort, Path = "/health", Scheme = "http" },
                        DelaySeconds = 0.5,
                        IntervalSeconds = 0.5,
                        TimeoutSeconds = 1,
                        ConsecutiveFailures = HealthFailures,
                        GracePeriodSeconds = 10,
                    },
                },

                // (c) a task group: when 'crasher' fails, the executor kills 'steady'.
                ["group"] = new()
                {
                    Executor = executor,
                    Resources = new ResourceRequirements(),
                    RestartStates = [],
                    Group =
                    [
                        new TaskGroupMemberSpec("steady", "echo steady; sleep 60", small),
                        new TaskGroupMemberSpec("crasher", "echo crashing soon; sleep 2; exit 3", small),
                    ],
                },

                // (d) ignores SIGTERM; the scheduler kills it, the executor sends SIGKILL when the grace period ends.
                ["stubborn"] = new()
                {
                    Executor = executor,
                    Resources = small,
                    RestartStates = [],
                    Command = new V1.CommandInfo { Value = "trap '' TERM; echo ignoring SIGTERM; while true; do sleep 1; done" },
                    KillPolicy = new V1.KillPolicy { GracePeriod = new V1.DurationInfo { Nanoseconds = (long)KillGrace.TotalMilliseconds * 1_000_000 } },
                },
            },
            OnTaskUpdated = OnUpdatedAsync,
        };
    }

    public void Attach(FrameworkScheduler scheduler) => _scheduler = scheduler;

    public async Task WaitForActionsAsync(TimeSpan timeout)
    {
        Task[] actions;
        lock (_lock)
        {
            actions = _actions.ToArray();
        }

        await Task.WhenAll(actions).WaitAsync(timeout).ConfigureAwait(false);
    }

    private ValueTask OnUpdatedAsync(TaskUpdate update)
    {
        var task = update.Task;
        var status = task.LastStatus;
        TaskTrack track;
        bool allDone;
        lock (_lock)
        {
            if (!_tracks.TryGetValue(task.Name, out track!))
            {
                track = new TaskTrack(task.Name, task.TaskId, _progress.Elapsed);
                _tracks[task.Name] = track;
            }

            track.Updates.Add(new Transition(_progress.Elapsed, update.State, status?.HasHealthy == true ? status.Healthy : null, status?.Message ?? string.Empty));
            allDone = Expected.All(name => _tracks.TryGetValue(name, out var t) && t.Final is not null);
        }

        var health = status?.HasHealthy == true ? (status.Healthy ? "  healthy" : "  UNHEALTHY") : string.Empty;
        var message = status?.Message is { Length: > 0 } m ? $"  \"{m}\"" : string.Empty;
        _progress.Line($"{task.Name,-16} {Names.Of(update.State),-14}{health}{message}");

        if (task.Name == "web-1" && status?.HasHealthy == true && status.Healthy && !track.BrokeService)
        {
            track.BrokeService = true;
            Act(async () =>
            {
                var url = new Uri($"http://{task.Hostname ?? "127.0.0.1"}:{task.Ports.FirstOrDefault()}/fail");
                _progress.Line($"{"web-1",-16} demo: service is healthy; GET {url} makes /health answer 503");
                using var response = await Http.GetAsync(url).ConfigureAwait(false);
            });
        }

        if (task.Name == "stubborn-1" && update.State == TaskState.TaskRunning && track.KillRequestedAt is null)
        {
            track.KillRequestedAt = TimeSpan.MaxValue; // claimed
            Act(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                track.KillRequestedAt = _progress.Elapsed;
                _progress.Line($"{"stubborn-1",-16} demo: scheduler KILLs it (grace period {KillGrace.TotalSeconds:0}s; the task ignores SIGTERM)");
                await _scheduler!.KillTaskAsync(task.TaskId).ConfigureAwait(false);
            });
        }

        if (allDone)
        {
            _allDone.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    private void Act(Func<Task> action)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or ArgumentException
                                           or Mesos.Protocol.Http.MesosHttpException or Mesos.Protocol.Http.MesosConnectionException)
            {
                _progress.Line($"demo action failed: {ex.Message}");
            }
        });
        lock (_lock)
        {
            _actions.Add(run);
        }
    }

    /// <summary>Checks every expectation; each result is one line of the summary.</summary>
    public IReadOnlyList<Expectation> Evaluate()
    {
        var tracks = Tracks;
        TaskTrack? Get(string name) => tracks.GetValueOrDefault(name);
        var results = new List<Expectation>();

        var multi = Get("multi-1");
        var restart = multi?.Updates.FirstOrDefault(u => u.Message.Contains("process 'flaky'", StringComparison.Ordinal) && u.Message.Contains("restart", StringComparison.Ordinal));
        results.Add(new Expectation("multi-1", multi?.Final == TaskState.TaskFinished && restart is not null,
            restart is not null ? $"3 processes; 'flaky' failed and was restarted by its policy ({restart.Message}), then the task finished"
                                : "expected TASK_FINISHED after a restart of process 'flaky'"));

        var web = Get("web-1");
        var healthyAt = web?.Updates.FirstOrDefault(u => u.Healthy == true)?.At;
        var unhealthyAt = web?.Updates.FirstOrDefault(u => u.Healthy == false)?.At;
        var killedByCheck = web?.Updates.LastOrDefault()?.Message.Contains($"Task killed by its health check after {HealthFailures} consecutive failures", StringComparison.Ordinal) == true;
        results.Add(new Expectation("web-1", healthyAt is not null && unhealthyAt > healthyAt && web?.Final == TaskState.TaskKilled && killedByCheck,
            killedByCheck ? $"healthy at +{healthyAt?.TotalSeconds:0.0}s, unhealthy at +{unhealthyAt?.TotalSeconds:0.0}s, killed by the executor after {HealthFailures} consecutive failures"
                          : $"expected healthy, then unhealthy, then TASK_KILLED by its health check after {HealthFailures} consecutive failures"));

        var crasher = Get("group-1-crasher");
        var steady = Get("group-1-steady");
        results.Add(new Expectation("group-1", crasher?.Final == TaskState.TaskFailed && steady?.Final == TaskState.TaskKilled,
            "member 'crasher' failed (exit 3), so the executor killed member 'steady'"));

        var stubborn = Get("stubborn-1");
        var killing = stubborn?.Updates.FirstOrDefault(u => u.State == TaskState.TaskKilling);
        var killedAt = stubborn?.Updates.LastOrDefault(u => u.State == TaskState.TaskKilled)?.At;
        var afterKill = killedAt - stubborn?.KillRequestedAt;
        results.Add(new Expectation("stubborn-1", killing is not null && stubborn?.Final == TaskState.TaskKilled && afterKill >= KillGrace * 0.9,
            afterKill is { } took && killing is not null
                ? $"scheduler KILL -> TASK_KILLING -> TASK_KILLED {took.TotalSeconds:0.0}s later (grace period {KillGrace.TotalSeconds:0}s, SIGTERM ignored)"
                : "expected TASK_KILLING, then TASK_KILLED once the grace period ended"));
        return results;
    }

    private static JsonObject Process(string name, string command, JsonObject? restart = null)
    {
        var process = new JsonObject { ["name"] = name, ["command"] = command };
        if (restart is not null)
        {
            process["restart"] = restart;
        }

        return process;
    }

    private static ByteString Payload(JsonObject payload) => ByteString.CopyFromUtf8(payload.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
}

/// <summary>What the demo saw of one task.</summary>
internal sealed class TaskTrack(string name, string taskId, TimeSpan firstSeen)
{
    public string Name { get; } = name;

    public string TaskId { get; } = taskId;

    public TimeSpan FirstSeen { get; } = firstSeen;

    public List<Transition> Updates { get; } = [];

    public TaskState? Final => Updates.LastOrDefault() is { } last && Names.IsTerminal(last.State) ? last.State : null;

    public TimeSpan? EndedAt => Final is null ? null : Updates[^1].At;

    public bool BrokeService { get; set; }

    public TimeSpan? KillRequestedAt { get; set; }

    public string HealthHistory => Updates.Where(u => u.Healthy is not null).Select(u => u.Healthy!.Value ? "healthy" : "unhealthy")
        .Aggregate(new List<string>(), (list, h) => { if (list.Count == 0 || list[^1] != h) { list.Add(h); } return list; }) is { Count: > 0 } list
        ? string.Join(" -> ", list) : "-";
}

internal sealed record Transition(TimeSpan At, TaskState State, bool? Healthy, string Message);

internal sealed record Expectation(string Subject, bool Held, string Description);

internal static class Names
{
    public static string Of(TaskState state) => TaskStates.ToProtocolName(state);

    public static bool IsTerminal(TaskState state) => TaskStates.IsTerminal(state);

    public static string Seconds(TimeSpan? value) => value is { } v ? v.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" : "-";
}
