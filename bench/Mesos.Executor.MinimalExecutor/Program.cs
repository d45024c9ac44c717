using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Hosting;
using Mesos.Executor.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;

ExecutorSettings settings;
try
{
    settings = ExecutorSettings.FromEnvironment();
}
catch (ExecutorConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// Subscribe first, then set up logging and the host while the SUBSCRIBE is on its way; the client's log lines wait
// for the host's loggers.
var earlyLogging = new DeferredLoggerFactory();
var client = MesosExecutorClient.Create(settings, new MesosExecutorOptions(), earlyLogging.CreateLogger<MesosExecutorClient>());
client.Start();

// An empty builder: no configuration files, no console lifetime chatter; logs go to stderr (the sandbox's file).
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.AddMesosTaskRunner<SleepUntilKilled>(client);
using var host = builder.Build();
earlyLogging.AttachTo(host.Services.GetRequiredService<ILoggerFactory>());
await host.RunAsync();
return Environment.ExitCode;

/// <summary>Reports RUNNING, then waits to be killed; "exit:N" in the task's data ends it at once instead.</summary>
internal sealed class SleepUntilKilled : ITaskRunner
{
    public async Task<TaskResult> RunAsync(TaskInfo task, ITaskContext context, CancellationToken kill)
    {
        await context.UpdateAsync(TaskState.TaskRunning, cancellationToken: kill);
        var data = task.Data.ToStringUtf8();
        if (data.StartsWith("exit:", StringComparison.Ordinal))
        {
            var code = int.Parse(data["exit:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return code == 0 ? TaskResult.Finished() : TaskResult.Failed($"Command exited with status {code}");
        }

        try
        {
            await Task.Delay(Timeout.Infinite, kill);
        }
        catch (OperationCanceledException)
        {
        }

        return TaskResult.Killed();
    }
}
