using Mesos.Executor.Client;
using Mesos.Executor.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskState = Mesos.V1.TaskState;

// An empty builder: no configuration files, no console lifetime chatter; logs go to stderr (the sandbox's file).
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.AddMesosTaskRunner<SleepUntilKilled>(new MesosExecutorOptions());
await builder.Build().RunAsync();

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
