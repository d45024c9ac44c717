using System.Diagnostics;
using System.Globalization;
using Mesos.TaskHealth;
using Mesos.TaskHealth.Bench;

// Whole-process measurement of the prober: N HTTP targets (Kestrel on loopback, in a child process), each
// probed every second by its own HealthMonitor through the shared pooled client, for S seconds.
// Reports this process's CPU (% of one core), RSS and open sockets every few seconds.
//
//   dotnet run -c Release --project bench/Mesos.TaskHealth.Bench -- [--targets 1000] [--seconds 60]

if (args is ["--serve", var serveCount])
{
    return await TargetFarm.ServeAsync(int.Parse(serveCount, CultureInfo.InvariantCulture));
}

var targets = Option("--targets", 1000);
var seconds = Option("--seconds", 60);
var sampleEvery = TimeSpan.FromSeconds(Option("--sample", 5));

using var farm = StartFarm(targets);
var urls = new List<string>();
while (await farm.StandardOutput.ReadLineAsync() is { } line && line != "READY")
{
    urls.Add(line.TrimEnd('/') + "/health");
}

if (urls.Count != targets)
{
    Console.Error.WriteLine($"the target farm started {urls.Count} of {targets} targets");
    return 1;
}

Console.WriteLine($"{targets} HTTP targets on loopback, interval 1 s, timeout 5 s, {seconds} s; prober pid {Environment.ProcessId}, farm pid {farm.Id}");
var self = Process.GetCurrentProcess();
var baseline = Sample(self);
Console.WriteLine($"before start: RSS {baseline.RssMb:0.0} MB, sockets {baseline.Sockets}");

var policy = new HealthPolicy { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(5), ConsecutiveFailures = 3 };
var failures = 0L;
var monitors = new List<HealthMonitor>(targets);
for (var i = 0; i < urls.Count; i++)
{
    // Spread the first probes over one interval, as targets launched at different times would be.
    var target = new HealthTarget($"t{i}", HealthProbes.Http(urls[i]), policy with { InitialDelay = TimeSpan.FromMilliseconds(i * 1000.0 / targets) });
    monitors.Add(HealthMonitor.Start(target, e =>
    {
        if (e is ProbeFailed)
        {
            Interlocked.Increment(ref failures);
        }

        return ValueTask.CompletedTask;
    }));
}

Console.WriteLine();
Console.WriteLine("    t(s)   CPU%(1 core)   RSS(MB)   sockets   probes/s   failures");
var samples = new List<(double T, double Cpu, double Rss, int Sockets, double Rate)>();
var started = Stopwatch.GetTimestamp();
var previous = Sample(self);
var previousProbes = 0L;
while (Stopwatch.GetElapsedTime(started).TotalSeconds < seconds)
{
    await Task.Delay(sampleEvery);
    var now = Sample(self);
    var probes = monitors.Sum(m => m.Snapshot.Probes);
    var wall = (now.At - previous.At).TotalSeconds;
    var cpu = (now.Cpu - previous.Cpu).TotalSeconds / wall * 100;
    var rate = (probes - previousProbes) / wall;
    var t = Stopwatch.GetElapsedTime(started).TotalSeconds;
    samples.Add((t, cpu, now.RssMb, now.Sockets, rate));
    Console.WriteLine($"{t,8:0}   {cpu,12:0.0}   {now.RssMb,7:0.0}   {now.Sockets,7}   {rate,8:0}   {Interlocked.Read(ref failures),8}");
    previous = now;
    previousProbes = probes;
}

foreach (var monitor in monitors)
{
    await monitor.DisposeAsync();
}

farm.StandardInput.Close();
await farm.WaitForExitAsync();

var steady = samples.Skip(1).ToList(); // the first window includes the ramp-up
Console.WriteLine();
Console.WriteLine($"summary ({targets} targets, {seconds} s, steady state = after the first {sampleEvery.TotalSeconds:0} s):");
Console.WriteLine($"  CPU   mean {steady.Average(s => s.Cpu):0.0} % of one core, max {steady.Max(s => s.Cpu):0.0} %");
Console.WriteLine($"  RSS   {steady.First().Rss:0.0} MB -> {steady.Last().Rss:0.0} MB (max {steady.Max(s => s.Rss):0.0} MB)");
Console.WriteLine($"  sockets min {steady.Min(s => s.Sockets)}, max {steady.Max(s => s.Sockets)}, last {steady.Last().Sockets}");
Console.WriteLine($"  probes {monitors.Sum(m => m.Snapshot.Probes)} total, {steady.Average(s => s.Rate):0} per second, {Interlocked.Read(ref failures)} failed");
return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static Process StartFarm(int count)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!)
    {
        RedirectStandardOutput = true,
        RedirectStandardInput = true,
        UseShellExecute = false,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        info.ArgumentList.Add(typeof(TargetFarm).Assembly.Location);
    }

    info.ArgumentList.Add("--serve");
    info.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
    return Process.Start(info)!;
}

static (DateTime At, TimeSpan Cpu, double RssMb, int Sockets) Sample(Process self)
{
    self.Refresh();
    var sockets = 0;
    foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
    {
        try
        {
            if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
            {
                sockets++;
            }
        }
        catch (IOException)
        {
            // The descriptor closed while we looked.
        }
    }

    return (DateTime.UtcNow, self.TotalProcessorTime, self.WorkingSet64 / (1024.0 * 1024.0), sockets);
}
