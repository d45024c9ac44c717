using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using TaskID = Mesos.V1.TaskID;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

// The smallest executor on the library's low-level API: no host, no DI, no logging framework. Each task is reported
// RUNNING at once and KILLED when killed; "exit:N" in a task's data ends it at once (FINISHED for 0, else FAILED).
// Exit codes as the runner's: 0 after SHUTDOWN from the agent, 1 when the agent is lost, 2 for a bad environment.
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

await using var client = MesosExecutorClient.Create(settings);
client.Start();
var running = new Dictionary<string, TaskID>();
await foreach (var ev in client.ReadEventsAsync())
{
    switch (ev)
    {
        case LaunchEvent launch:
            await StartAsync(launch.Task.TaskId, launch.Task.Data.ToStringUtf8());
            break;
        case LaunchGroupEvent group:
            foreach (var task in group.TaskGroup.Tasks)
            {
                await StartAsync(task.TaskId, task.Data.ToStringUtf8());
            }

            break;
        case KillEvent kill:
            running.Remove(kill.TaskId.Value);
            await UpdateAsync(kill.TaskId, TaskState.TaskKilled);
            break;
        case ErrorEvent error:
            Console.Error.WriteLine($"agent error: {error.Message}");
            break;
        case ShutdownEvent shutdown:
            if (shutdown.AgentReachable)
            {
                foreach (var id in running.Values)
                {
                    await UpdateAsync(id, TaskState.TaskKilled);
                }

                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await client.WaitForAcknowledgementsAsync(bounded.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("some terminal updates were not acknowledged within 5 s");
                }
            }

            Console.Error.WriteLine($"shutting down: {shutdown.Cause} {shutdown.Detail}");
            return shutdown.FromAgent ? 0 : 1;
    }
}

return 1; // the event stream ended without a SHUTDOWN

async Task StartAsync(TaskID id, string data)
{
    await UpdateAsync(id, TaskState.TaskRunning);
    if (data.StartsWith("exit:", StringComparison.Ordinal))
    {
        var code = int.Parse(data["exit:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await UpdateAsync(id, code == 0 ? TaskState.TaskFinished : TaskState.TaskFailed, code == 0 ? null : $"Command exited with status {code}");
        return;
    }

    running[id.Value] = id;
}

Task UpdateAsync(TaskID id, TaskState state, string? message = null)
{
    var status = new TaskStatus { TaskId = id, State = state };
    if (message is not null)
    {
        status.Message = message;
    }

    return client.UpdateAsync(status);
}
