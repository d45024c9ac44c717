using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Hosting;
using Mesos.Executor.Runner.Execution;
using Log = Serilog.Log;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Mesos.Executor.Runner;

/// <summary>
/// The fetchable executor. Started by a Mesos agent with the MESOS_* environment, it subscribes, runs each task as
/// a supervised set of processes and exits once every task is done and acknowledged (0), on SHUTDOWN (0), when
/// the agent is lost (1) or when the environment is unusable (2).
/// </summary>
internal static class Program
{
    private const string Usage = """
        mesos-executor: a Mesos custom executor that runs each task as a supervised set of processes.

        A Mesos agent starts it (ExecutorInfo.command fetching this file as an executable URI) with
        MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_DIRECTORY and friends set.
        What a task runs comes from TaskInfo.data, e.g. {"command": "./server --port $PORT0"}, or from the
        task's own command (task groups), or Marathon's convention. See the README for the full payload
        (several processes per task, restart policies) and for running it by hand.

        Exit codes: 0 done or SHUTDOWN, 1 agent lost, 2 bad environment, 64 bad arguments.
        Options: --help, --version
        """;

    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case []:
                break;
            case ["--help" or "-h"]:
                Console.Out.WriteLine(Usage);
                return 0;
            case ["--version"]:
                Console.Out.WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "unknown");
                return 0;
            default:
                Console.Error.WriteLine($"mesos-executor takes no arguments (got '{string.Join(' ', args)}'); see --help");
                return 64;
        }

        // Subscribe first: the SUBSCRIBE goes out on another thread while logging and the host are set up, which takes
        // about as long again (README, "Publish settings and figures"). The client's log lines wait for Serilog, its
        // events for the host's executor service, which owns the client from then on.
        ExecutorSettings? settings = null;
        ExecutorConfigurationException? unusable = null;
        try
        {
            settings = ExecutorSettings.FromEnvironment();
        }
        catch (ExecutorConfigurationException ex)
        {
            unusable = ex;
        }

        var earlyLogging = new DeferredLoggerFactory();
        var client = settings is null
            ? null
            : MesosExecutorClient.Create(settings, new MesosExecutorOptions(), earlyLogging.CreateLogger<MesosExecutorClient>(), TimeProvider.System);
        client?.Start();

        // Everything to stderr: the agent keeps the sandbox's stdout and stderr, and stdout stays free for tools.
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        using var logging = new SerilogLoggerFactory(Log.Logger);
        earlyLogging.AttachTo(logging);
        try
        {
            if (client is null)
            {
                Log.ForContext(Constants.SourceContextPropertyName, "Mesos.Executor").Fatal(unusable, "The executor cannot start");
                return 2;
            }

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
            builder.Logging.ClearProviders().AddSerilog(Log.Logger);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<QuietMemoryTrimmer>();
            builder.Services.AddMesosTaskRunner<ProcessTaskRunner>(client);
            using var host = builder.Build();
            // RunAsync disposes the host, so take the lifetime (the exit code) first.
            var lifetime = host.Services.GetRequiredService<MesosExecutorLifetime>();
            await host.RunAsync().ConfigureAwait(false);
            return await lifetime.Completion.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.Fatal(ex, "The executor failed");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }
}
