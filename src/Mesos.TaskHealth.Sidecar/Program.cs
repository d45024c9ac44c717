using System.Runtime.InteropServices;
using Mesos.TaskHealth.Sidecar;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

// stdout carries only JSON lines; every log line goes to stderr.
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
    .CreateLogger();

try
{
    CommandLine.Parsed parsed;
    IReadOnlyList<Mesos.TaskHealth.HealthTarget> targets;
    try
    {
        parsed = CommandLine.Parse(args);
        if (parsed.Help)
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return 0;
        }

        targets = TargetFactory.Create(parsed.Config);
        if (!parsed.NoStatus)
        {
            SidecarHost.ParseEndpoint(parsed.Config.Listen ?? "127.0.0.1:0");
        }
    }
    catch (ConfigException ex)
    {
        await Console.Error.WriteLineAsync("mesos-health-sidecar: " + ex.Message);
        return 2;
    }

    using var stop = new CancellationTokenSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

    using var loggerFactory = new SerilogLoggerFactory(Log.Logger);
    var host = new SidecarHost(
        targets,
        parsed.NoStatus ? null : parsed.Config.Listen ?? "127.0.0.1:0",
        parsed.Config.ExitOnUnhealthy ?? false,
        loggerFactory,
        Console.Out);
    Log.Information("Probing {TargetCount} targets", targets.Count);
    var exitCode = await host.RunAsync(stop.Token);
    Log.Information("Stopped with exit code {ExitCode}", exitCode);
    return exitCode;
}
catch (Exception ex)
{
    Log.Fatal(ex, "The sidecar failed");
    return 3;
}
finally
{
    await Log.CloseAndFlushAsync();
}
