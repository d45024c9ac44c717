using Mesos.Executor.Runner.Tasks;
using ExecutorInfo = Mesos.V1.ExecutorInfo;
using TaskInfo = Mesos.V1.TaskInfo;

namespace Mesos.Executor.Runner.Execution;

/// <summary>
/// Works out what a task runs, in this order: the JSON payload in <c>TaskInfo.data</c> (the way to address a custom
/// executor, since Mesos rejects a task carrying both ExecutorInfo and CommandInfo); the task's own
/// <c>command</c> (LAUNCH_GROUP members, command tasks); Marathon's convention of the app command after
/// <c>exec '&lt;executor&gt;' </c> in the ExecutorInfo's command value.
/// </summary>
internal static class TaskSpecResolver
{
    /// <exception cref="TaskPayloadException">Nothing usable says what to run; the message says what to send.</exception>
    public static TaskSpec Resolve(TaskInfo task, ExecutorInfo? executor)
    {
        if (!task.Data.IsEmpty)
        {
            try
            {
                return TaskPayloadParser.Parse(task.Data.Span);
            }
            catch (TaskPayloadException ex)
            {
                throw new TaskPayloadException($"TaskInfo.data of task '{task.TaskId?.Value}' is not a valid task payload: {ex.Message}", ex);
            }
        }

        if (task.Command is { } command && (command.HasValue || command.Arguments.Count > 0))
        {
            return FromCommandInfo(task, command);
        }

        if (MarathonCommand.TryExtractAppCommand(executor?.Command?.Value, out var appCommand))
        {
            return TaskSpec.FromShellCommand(appCommand);
        }

        throw new TaskPayloadException(
            $"Task '{task.TaskId?.Value}' does not say what to run: put a JSON payload such as {{\"command\": \"./server\"}} in " +
            "TaskInfo.data (a task sent to a custom executor must not carry a CommandInfo), give LAUNCH_GROUP members a " +
            "command, or use Marathon's convention (the app command after exec '<executor>' in the ExecutorInfo's command)");
    }

    private static TaskSpec FromCommandInfo(TaskInfo task, Mesos.V1.CommandInfo command)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in command.Environment?.Variables ?? [])
        {
            // SECRET variables need the agent's secret resolver, which a custom executor does not have.
            if (variable.Type == Mesos.V1.Environment.Types.Variable.Types.Type.Secret)
            {
                throw new TaskPayloadException(
                    $"Task '{task.TaskId?.Value}' asks for the secret environment variable '{variable.Name}', which this executor cannot resolve");
            }

            environment[variable.Name] = variable.Value;
        }

        if (command.Shell)
        {
            if (!command.HasValue || command.Value.Length == 0)
            {
                throw new TaskPayloadException($"Task '{task.TaskId?.Value}' has a shell command with no value");
            }

            return new TaskSpec([new ProcessSpec { Name = TaskDefaults.SingleProcessName, Command = command.Value, Environment = environment }]);
        }

        // shell: false — value is the executable, arguments the whole argv (argv[0] included), as Mesos does.
        var executable = command.HasValue && command.Value.Length > 0 ? command.Value : command.Arguments.FirstOrDefault();
        if (string.IsNullOrEmpty(executable))
        {
            throw new TaskPayloadException($"Task '{task.TaskId?.Value}' has a non-shell command with no executable");
        }

        return new TaskSpec(
        [
            new ProcessSpec
            {
                Name = TaskDefaults.SingleProcessName,
                Command = executable,
                Shell = false,
                Arguments = [.. command.Arguments],
                Environment = environment,
            },
        ]);
    }
}
