using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mesos.Executor.Client;
using Mesos.Executor.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskInfo = Mesos.V1.TaskInfo; // Mesos.V1.Task and TaskStatus clash with System.Threading.Tasks: alias what you use.
using TaskState = Mesos.V1.TaskState;

// The agent starts this program in the task's sandbox with MESOS_* in its environment. The library subscribes,
// sends TASK_STARTING, acknowledgements, kills and the terminal update; JobRunner only does the work.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.AddMesosTaskRunner<JobRunner>(new MesosExecutorOptions());
await builder.Build().RunAsync(); // exits 0 once every task has ended and the agent has acknowledged it

/// <summary>
/// Runs the small built-in job named by the task's data: <c>sha256:TEXT</c> writes the SHA-256 of TEXT to
/// <c>result.txt</c> in the sandbox and finishes with it as the message; <c>sleep:SECONDS</c> waits, or until killed.
/// </summary>
internal sealed class JobRunner : ITaskRunner
{
    public async Task<TaskResult> RunAsync(TaskInfo task, ITaskContext context, CancellationToken kill)
    {
        var parts = task.Data.ToStringUtf8().Split(':', 2);
        var (job, argument) = (parts[0], parts.Length > 1 ? parts[1] : "");
        await context.UpdateAsync(TaskState.TaskRunning, $"running job '{job}'", cancellationToken: kill);
        try
        {
            switch (job)
            {
                case "sha256":
                    var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(argument)));
                    await File.WriteAllTextAsync(Path.Combine(context.SandboxDirectory, "result.txt"), hash, kill);
                    return TaskResult.Finished(hash);
                case "sleep" when double.TryParse(argument, CultureInfo.InvariantCulture, out var seconds):
                    await Task.Delay(TimeSpan.FromSeconds(seconds), kill);
                    return TaskResult.Finished($"slept {seconds} s");
                default:
                    return TaskResult.Failed($"unknown job '{job}': the task's data must be 'sha256:TEXT' or 'sleep:SECONDS'");
            }
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            return TaskResult.Killed(); // KILL or SHUTDOWN: stop gently; the library reports TASK_KILLED
        }
    }
}
