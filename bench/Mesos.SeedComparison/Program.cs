using System.Globalization;
using Mesos.SeedComparison;

// Side by side with the Node seed; bench/seed-comparison/run.sh installs the seed, publishes ours and runs this.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Finish the current step's cleanup (executor processes are killed in finally blocks) instead of dying mid-run.
    e.Cancel = true;
    cancel.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});
var ct = cancel.Token;
var settings = Settings.Parse(args);
var machine = await Machine.DescribeAsync(settings.NodePath, ct);
Console.WriteLine($"ours: {settings.OursLabel} ({settings.OursPath})");
Console.WriteLine($"seed: {settings.SeedModule} on node {machine.Node}");

var seedLauncher = Path.Combine(settings.ScriptsDirectory, "seed-executor.js");
var ours = new List<StartSample>();
var seed = new List<StartSample>();
// Run 0 of each warms the disk cache and is not counted; the two executors alternate so that load from other work
// on the machine falls on both alike.
for (var run = 0; run <= settings.Runs; run++)
{
    var o = await StartMeasurement.MeasureAsync(settings.OursPath, [], settings.WorkDirectory, ct);
    var s = await StartMeasurement.MeasureAsync(settings.NodePath, [seedLauncher, settings.SeedModule], settings.WorkDirectory, ct);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"start run {run}{(run == 0 ? " (warm-up)" : string.Empty)}: ours {Describe(o)}; seed {Describe(s)}"));
    if (run > 0)
    {
        ours.Add(o);
        seed.Add(s);
    }
}

// The same executor through the fake agent's own launcher, to show the harness launcher measures the same thing.
var check = new List<double>();
string? checkFailure = null;
if (ours.All(o => o.Failure is null))
{
    for (var run = 0; run < settings.Runs && checkFailure is null; run++)
    {
        try
        {
            check.Add(await StartMeasurement.MeasureWithFakeAgentLauncherAsync(settings.OursPath, settings.WorkDirectory, ct));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            checkFailure = ex.Message;
        }
    }
}

Console.WriteLine("decoding the recorded event stream with both parsers ...");
var decode = await DecodeComparison.RunAsync(settings, ct);
var report = new Report(settings, machine with { LoadAverage = machine.LoadAverage + " at start, " + await Machine.LoadAverageAsync(ct) + " at the end" }, ours, seed, check, checkFailure, decode);

Console.WriteLine();
Console.WriteLine(report.Table());
Console.WriteLine(report.SplitTable());
if (settings.SvgPath is { } svg)
{
    await File.WriteAllTextAsync(svg, report.Svg(), ct);
    Console.WriteLine($"chart: {svg}");
}

if (settings.ReadmePath is { } readme)
{
    await report.WriteReadmeSectionAsync(readme, ct);
    Console.WriteLine($"README section: {readme}");
}

// The seed's failures are findings; ours failing to subscribe is a failed run.
return ours.Any(o => o.Failure is not null) ? 1 : 0;

static string Describe(StartSample sample) => sample.SubscribeMilliseconds is { } ms
    ? string.Create(CultureInfo.InvariantCulture, $"SUBSCRIBE after {ms:F1} ms ({sample.SubscribeStatus}), RSS {sample.ResidentMegabytes:F1} MB{(sample.Failure is null ? string.Empty : "; " + sample.Failure)}")
    : "failed: " + sample.Failure;
