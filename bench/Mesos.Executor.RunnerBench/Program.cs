using Mesos.Bench.Shared;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Mesos.Testing.Agent;
using AgentID = Mesos.V1.AgentID;
using TaskID = Mesos.V1.TaskID;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;

// Whole-process benchmarks of the published executor, started by the fake agent exactly as a Mesos agent starts it.
// Every figure comes with a baseline measured in the same run on the same (possibly loaded) machine.
// Baseline: --hello <a hello world published the same way> (bench/Mesos.Bench.HelloWorld; run.sh publishes it), or
// else this program itself, framework-dependent, started the agent's way as a trivial .NET app (these two modes).
if (args is ["hello"])
{
    Console.WriteLine("hello");
    return 0;
}

if (args is ["idle"])
{
    Console.WriteLine("hello");
    await Task.Delay(Timeout.Infinite);
    return 0;
}

if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: Mesos.Executor.RunnerBench <published mesos-executor> [--runs 15] [--launches 200] [--tasks 500] [--idle-seconds 10] [--start-only | --many-only] [--env NAME=VALUE]... [--hello path/to/published/hello]");
    return 64;
}

var executor = Path.GetFullPath(args[0]);
int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i > 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var runs = Option("--runs", 15);
var launches = Option("--launches", 200);
var taskCount = Option("--tasks", 500);
var idleSeconds = Option("--idle-seconds", 10);
var startOnly = args.Contains("--start-only"); // size, start -> SUBSCRIBE and idle RSS only (to compare publish settings)
var manyOnly = args.Contains("--many-only"); // only the N tasks x 2 processes run (to compare runtime knobs)
// --env NAME=VALUE (repeatable): set in the executor's environment, e.g. DOTNET_gcConcurrent=0 to try a runtime knob.
var extraEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);
var helloIndex = Array.IndexOf(args, "--hello");
var publishedHello = helloIndex > 0 && helloIndex + 1 < args.Length ? Path.GetFullPath(args[helloIndex + 1]) : null;
var self = publishedHello ?? Path.Combine(AppContext.BaseDirectory, "Mesos.Executor.RunnerBench");
var helloKind = publishedHello is null ? "hello world, framework-dependent" : "hello world published the same way";
var rows = new List<string[]>();
void Row(string measure, string value, string baseline, string ratio, string goal) => rows.Add([measure, value, baseline, ratio, goal]);
static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture) + " ms";
static string Mb(double value) => value.ToString("F1", CultureInfo.InvariantCulture) + " MB";
static string X(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "x";

// ---- Size ----
var size = new FileInfo(executor).Length / 1048576.0;
if (publishedHello is null)
{
    var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    var runtimeSize = Directory.GetFiles(runtimeDir).Sum(f => new FileInfo(f).Length) / 1048576.0;
    Row("size of the single file", Mb(size), $"{Mb(runtimeSize)} (shared runtime dir)", X(size / runtimeSize), "<= 25 MB");
}
else
{
    var helloSize = new FileInfo(publishedHello).Length / 1048576.0;
    Row("size of the single file", Mb(size), $"{Mb(helloSize)} ({helloKind})", X(size / helloSize), "<= 25 MB");
}

// ---- Start -> SUBSCRIBE and idle RSS ----
if (!manyOnly)
{
var starts = await ExecutorStartRuns.MeasureAsync(executor, self, runs, extraEnvironment);
Row($"start -> SUBSCRIBE (median of {runs})", Ms(Stats.Median(starts.SubscribeMs)), $"{Ms(Stats.Median(starts.HelloMs))} ({helloKind}: start -> exit)", X(Stats.Median(starts.SubscribeMs) / Stats.Median(starts.HelloMs)), "<= 60 ms");
Row("idle RSS after SUBSCRIBED (median)", Mb(Stats.Median(starts.RssMb)), $"{Mb(Stats.Median(starts.HelloRssMb))} ({helloKind}, idle)", X(Stats.Median(starts.RssMb) / Stats.Median(starts.HelloRssMb)), "<= 30 MB");
}

// ---- LAUNCH -> TASK_RUNNING and KILL -> TASK_KILLED, one task at a time in one executor ----
if (!startOnly && !manyOnly)
{
    await using var agent = await FakeAgent.StartAsync();
    await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = executor, CommandEnvironment = extraEnvironment });
    await agent.WaitForSubscribeAsync(timeout: TimeSpan.FromSeconds(60));
    // An anchor task: the executor exits once every task is terminal, so one keeps running throughout.
    var anchor = Tasks.Sleep("anchor");
    await agent.LaunchAsync(anchor);
    await agent.WaitForUpdateAsync("anchor", TaskState.TaskRunning, TimeSpan.FromSeconds(30));

    var launch = new List<double>();
    var kill = new List<double>();
    for (int i = 0; i < launches + 5; i++)
    {
        var id = $"t{i}";
        long started = Stopwatch.GetTimestamp();
        await agent.LaunchAsync(Tasks.Sleep(id));
        await agent.WaitForUpdateAsync(id, TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        var launched = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        await agent.KillAsync(id, TimeSpan.FromSeconds(3));
        await agent.WaitForUpdateAsync(id, TaskState.TaskKilled, TimeSpan.FromSeconds(30));
        var killed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (i >= 5)
        {
            // The first few warm up the JIT'd paths (tiering) and are not counted.
            launch.Add(launched);
            kill.Add(killed);
        }
    }

    var (spawnP50, spawnP99, termP50, termP99) = await Baseline.SpawnAndTerminateAsync(launches);
    Row($"LAUNCH -> TASK_RUNNING received, p50 ({launches} launches)", Ms(Stats.Percentile(launch, 0.50)), $"{Ms(spawnP50)} (Process.Start of setpriv+sleep)", X(Stats.Percentile(launch, 0.50) / spawnP50), "<= 5 ms");
    Row("LAUNCH -> TASK_RUNNING received, p99", Ms(Stats.Percentile(launch, 0.99)), Ms(spawnP99), X(Stats.Percentile(launch, 0.99) / spawnP99), "<= 20 ms");
    Row($"KILL -> TASK_KILLED received, p50 (SIGTERM-respecting sleep, {launches} kills)", Ms(Stats.Percentile(kill, 0.50)), $"{Ms(termP50)} (SIGTERM -> reaped, Process API)", X(Stats.Percentile(kill, 0.50) / termP50), "-");
    Row("KILL -> TASK_KILLED received, p99", Ms(Stats.Percentile(kill, 0.99)), Ms(termP99), X(Stats.Percentile(kill, 0.99) / termP99), "-");
    await agent.ShutdownAsync();
    await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
}

// ---- A task that finishes, and the executor that then exits by itself (also the start-up profile's finish path) ----
if (!startOnly && !manyOnly)
{
    await using var agent = await FakeAgent.StartAsync();
    await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = executor, CommandEnvironment = extraEnvironment });
    await agent.WaitForSubscribeAsync(timeout: TimeSpan.FromSeconds(60));
    long started = Stopwatch.GetTimestamp();
    await agent.LaunchAsync(Tasks.ExitZero("done"));
    await agent.WaitForUpdateAsync("done", TaskState.TaskFinished, TimeSpan.FromSeconds(30));
    var finished = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    var exited = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    Row("a task running `exit 0`: LAUNCH -> TASK_FINISHED received; -> executor exited by itself", $"{Ms(finished)}; {Ms(exited)} (exit {exitCode})", "-", "-", "-");
}

// ---- N tasks x 2 processes in one executor ----
if (!startOnly)
{
    await using var agent = await FakeAgent.StartAsync();
    await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = executor, ShutdownGracePeriod = TimeSpan.FromSeconds(30), CommandEnvironment = extraEnvironment });
    await agent.WaitForSubscribeAsync(timeout: TimeSpan.FromSeconds(60));
    await Task.Delay(1000);
    var idleCpuBefore = await Cpu.PercentAsync(process.Id, TimeSpan.FromSeconds(idleSeconds));
    var rssBefore = process.ResidentBytes() / 1048576.0;

    long started = Stopwatch.GetTimestamp();
    for (int i = 0; i < taskCount; i++)
    {
        await agent.LaunchAsync(Tasks.TwoProcesses($"p{i}"));
    }

    await agent.WaitUntilAsync(a => a.Updates.Count(u => u.State == TaskState.TaskRunning) >= taskCount, TimeSpan.FromMinutes(5), "all tasks RUNNING");
    var allRunning = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var rssBurst = process.ResidentBytes() / 1048576.0; // before the executor's quiet-time memory trim (5 s)
    await Task.Delay(2000);
    var idleCpu = await Cpu.PercentAsync(process.Id, TimeSpan.FromSeconds(idleSeconds));
    var rssLoaded = process.ResidentBytes() / 1048576.0;
    var children = Cpu.Descendants(process.Id);

    started = Stopwatch.GetTimestamp();
    await agent.ShutdownAsync();
    var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
    var shutdown = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var killedCount = agent.Updates.Count(u => u.State == TaskState.TaskKilled);
    if (Environment.GetEnvironmentVariable("RUNNER_BENCH_LOG") is { Length: > 0 } logFile)
    {
        File.WriteAllText(logFile, process.ReadStderr());
    }

    Row($"{taskCount} tasks x 2 processes: LAUNCH -> all RUNNING", $"{allRunning:F2} s ({children} processes)", "-", "-", "<= 3 s");
    Row($"{taskCount} x 2: idle CPU over {idleSeconds} s", $"{idleCpu:F2} % of a core", $"{idleCpuBefore:F2} % (same executor, no task)", "-", "-");
    Row($"{taskCount} x 2: RSS right after the launches", Mb(rssBurst), $"{Mb(rssBefore)} (same executor, no task)", X(rssBurst / rssBefore), "-");
    Row($"{taskCount} x 2: RSS, running steadily ({2 + idleSeconds} s later)", Mb(rssLoaded), $"{Mb(rssBefore)} (same executor, no task)", X(rssLoaded / rssBefore), "<= 60 MB");
    Row($"{taskCount} x 2: SHUTDOWN -> executor exited", $"{shutdown:F2} s (exit {exit}, {killedCount} TASK_KILLED)", "-", "-", "-");
}

Console.WriteLine($"mesos-executor benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end, .NET {Environment.Version}");
Console.WriteLine($"binary: {executor}");
Console.WriteLine();
Console.WriteLine("| measure | mesos-executor | baseline (same run) | ratio | goal |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var row in rows)
{
    Console.WriteLine($"| {string.Join(" | ", row)} |");
}

return 0;

internal static class Tasks
{
    public static TaskInfo Sleep(string id) => Make(id, """{"command": "/bin/sleep", "shell": false, "arguments": ["sleep", "600"]}""");

    public static TaskInfo ExitZero(string id) => Make(id, """{"command": "exit 0"}""");

    public static TaskInfo TwoProcesses(string id) => Make(id, """
        {"processes": [
          {"name": "a", "command": "/bin/sleep", "shell": false, "arguments": ["sleep", "600"]},
          {"name": "b", "command": "/bin/sleep", "shell": false, "arguments": ["sleep", "600"]}]}
        """);

    private static TaskInfo Make(string id, string payload) => new()
    {
        Name = id,
        TaskId = new TaskID { Value = id },
        AgentId = new AgentID { Value = "fake-agent-S0" },
        Data = ByteString.CopyFromUtf8(payload),
    };
}

internal static class Stats
{
    public static double Median(List<double> values) => Percentile(values, 0.5);

    public static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

internal static class Cpu
{
    /// <summary>CPU used by the process (all threads, not its children) over the window, in % of one core.</summary>
    public static async Task<double> PercentAsync(int pid, TimeSpan window)
    {
        long before = Ticks(pid);
        await Task.Delay(window);
        return (Ticks(pid) - before) / 100.0 / window.TotalSeconds * 100;
    }

    public static int Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int p))
            {
                try
                {
                    parents[p] = int.Parse(Fields(File.ReadAllText(Path.Combine(dir, "stat")))[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                }
            }
        }

        int count = 0;
        foreach (var p in parents.Keys)
        {
            for (int q = p, depth = 0; parents.TryGetValue(q, out int parent) && depth < 64; q = parent, depth++)
            {
                if (parent == pid)
                {
                    count++;
                    break;
                }
            }
        }

        return count;
    }

    // utime + stime in clock ticks (USER_HZ = 100 on Linux).
    private static long Ticks(int pid)
    {
        var fields = Fields(File.ReadAllText($"/proc/{pid}/stat"));
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    // Fields after "pid (comm) ": [0] = state, [1] = ppid, ... [11] = utime, [12] = stime.
    private static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}

internal static class Baseline
{
    /// <summary>The raw cost the executor's paths sit on: spawning what a task spawns, and SIGTERM -> reaped.</summary>
    public static async Task<(double SpawnP50, double SpawnP99, double TermP50, double TermP99)> SpawnAndTerminateAsync(int count)
    {
        var spawn = new List<double>();
        var term = new List<double>();
        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/setpriv", ["--pdeathsig", "KILL", "--", "/bin/sleep", "600"]) { UseShellExecute = false })!;
            spawn.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(5); // let it exec sleep, as the executor's task has by the time it is killed
            started = Stopwatch.GetTimestamp();
            _ = Kill(process.Id, 15);
            await process.WaitForExitAsync();
            term.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (Stats.Percentile(spawn, 0.5), Stats.Percentile(spawn, 0.99), Stats.Percentile(term, 0.5), Stats.Percentile(term, 0.99));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
