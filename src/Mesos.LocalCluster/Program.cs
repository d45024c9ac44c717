using Mesos.LocalCluster;
using Mesos.LocalCluster.Demo;

// mesos-local: the demo (default), the local cluster as a server (to come), and the demo's own sample service.
CommandLine options;
try
{
    options = CommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"mesos-local: {ex.Message}\n\n{CommandLine.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

switch (options.Command)
{
    case "sample-service":
        return await SampleService.RunAsync(options.Rest);
    case "serve":
        await Console.Error.WriteLineAsync("mesos-local serve: not implemented yet; the demo (mesos-local demo) is");
        return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

var progress = new Progress(Console.Out);
try
{
    return await new DemoRunner(options, progress).RunAsync(interrupted.Token);
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    progress.Line("interrupted; everything stopped");
    return 1;
}
