using Mesos.LocalCluster;
using System.Runtime.InteropServices;
using Mesos.LocalCluster.Demo;
using Mesos.LocalCluster.Serve;

// mesos-local: the demo (default), the local cluster as a server (serve), and the demo's own sample service.
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
    {
        // SIGINT (Ctrl+C) and SIGTERM both stop the server cleanly: executors shut down, then the master.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await ServeRunner.RunAsync(options, new Progress(Console.Out), stop.Token);
    }
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
