using Mesos.Bench.Shared;
using System.Diagnostics;
using System.Globalization;
using Mesos.Testing.Agent;

// Baseline modes: this same program started the agent's way as a trivial .NET app.
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

// Usage: Mesos.Executor.StartBench <path to the minimal executor> [runs]
var executor = Path.GetFullPath(args.Length > 0 ? args[0] : throw new ArgumentException("Pass the minimal executor's path"));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
// The apphost, like the executor: a trivial .NET program started the same way.
var self = Path.Combine(AppContext.BaseDirectory, "Mesos.Executor.StartBench");
var idleSettle = TimeSpan.FromMilliseconds(500);

var subscribeTimes = new List<double>();
var executorRss = new List<double>();
var helloTimes = new List<double>();
var helloRss = new List<double>();

for (var i = 0; i < runs + 1; i++)
{
    await using (var agent = await FakeAgent.StartAsync())
    {
        await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions { FileName = executor, RegistrationTimeout = TimeSpan.FromSeconds(30) });
        await agent.WaitUntilAsync(a => a.HasSubscriber);
        await Task.Delay(idleSettle);
        if (i > 0)
        {
            // The first run warms the disk cache; it is not counted.
            subscribeTimes.Add(process.TimeToSubscribe.TotalMilliseconds);
            executorRss.Add(process.ResidentBytes() / 1048576.0);
        }
    }

    var (elapsed, rss) = await HelloBaseline.StartHelloAsync(self);
    if (i > 0)
    {
        helloTimes.Add(elapsed);
        helloRss.Add(rss);
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

Console.WriteLine($"runs: {runs} (framework-dependent, {Environment.ProcessorCount} cores, .NET {Environment.Version})");
Console.WriteLine($"minimal executor: start -> SUBSCRIBE received  median {Median(subscribeTimes):F1} ms  (min {subscribeTimes.Min():F1}, max {subscribeTimes.Max():F1})");
Console.WriteLine($"minimal executor: idle RSS after SUBSCRIBED     median {Median(executorRss):F1} MB");
Console.WriteLine($"baseline hello world: start -> exit            median {Median(helloTimes):F1} ms");
Console.WriteLine($"baseline hello world: idle RSS                  median {Median(helloRss):F1} MB");
Console.WriteLine($"ratio executor/baseline: time {Median(subscribeTimes) / Median(helloTimes):F2}x, RSS {Median(executorRss) / Median(helloRss):F2}x");
return 0;
