using Mesos.Bench.Shared;
using System.Globalization;

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

var (subscribeTimes, executorRss, helloTimes, helloRss) = await ExecutorStartRuns.MeasureAsync(executor, self, runs);

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
