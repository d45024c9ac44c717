using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>Turns TaskInfo.data into a <see cref="TaskSpec"/>, or a <see cref="TaskPayloadException"/> that names the problem and its JSON path.</summary>
internal static partial class TaskPayloadParser
{
    private const string Example = "expected a JSON object such as {\"command\": \"./server\"}";

    public static TaskSpec Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty || utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new TaskPayloadException($"TaskInfo.data is empty; {Example}");
        }

        TaskPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(utf8Json, TaskPayloadJsonContext.Default.TaskPayload);
        }
        catch (JsonException ex)
        {
            throw new TaskPayloadException(Describe(ex), ex);
        }

        return payload is null ? throw new TaskPayloadException($"TaskInfo.data is null; {Example}") : Validate(payload);
    }

    public static TaskSpec Validate(TaskPayload payload)
    {
        var topEnvironment = payload.Environment ?? new Dictionary<string, string>();
        CheckEnvironment(topEnvironment, "$.environment");
        if (payload.Processes is null)
        {
            if (string.IsNullOrWhiteSpace(payload.Command))
            {
                throw new TaskPayloadException(payload.Command is null
                    ? "TaskInfo.data: neither 'command' (one process) nor 'processes' (several) is given; " + Example
                    : "TaskInfo.data at $.command: the command is empty");
            }

            var single = BuildProcess(
                TaskDefaults.SingleProcessName, payload.Command, payload.Shell, payload.Arguments, topEnvironment, restart: null, essential: null, "$");
            return new TaskSpec([single]);
        }

        if (payload.Command is not null || payload.Shell is not null || payload.Arguments is not null)
        {
            var field = payload.Command is not null ? "command" : payload.Shell is not null ? "shell" : "arguments";
            throw new TaskPayloadException(
                $"TaskInfo.data at $.{field}: give either a top-level command or a 'processes' list, not both (put '{field}' into each process)");
        }

        if (payload.Processes.Count == 0)
        {
            throw new TaskPayloadException("TaskInfo.data at $.processes: the list is empty; give at least one process");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var processes = new List<ProcessSpec>(payload.Processes.Count);
        for (int i = 0; i < payload.Processes.Count; i++)
        {
            var path = $"$.processes[{i}]";
            var process = payload.Processes[i] ?? throw new TaskPayloadException($"TaskInfo.data at {path}: a process must be an object, not null");
            if (string.IsNullOrEmpty(process.Name))
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}.name: every process needs a name");
            }

            if (!NamePattern().IsMatch(process.Name))
            {
                throw new TaskPayloadException(
                    $"TaskInfo.data at {path}.name: '{process.Name}' is not a valid process name; use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }

            if (!names.Add(process.Name))
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}.name: the name '{process.Name}' is used twice");
            }

            if (string.IsNullOrWhiteSpace(process.Command))
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}.command: process '{process.Name}' has no command");
            }

            CheckEnvironment(process.Environment, $"{path}.environment");
            var environment = new Dictionary<string, string>(topEnvironment, StringComparer.Ordinal);
            foreach (var (name, value) in process.Environment ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }

            processes.Add(BuildProcess(process.Name, process.Command, process.Shell, process.Arguments, environment, process.Restart, process.Essential, path));
        }

        return new TaskSpec(processes);
    }

    private static ProcessSpec BuildProcess(
        string name,
        string command,
        bool? shell,
        IReadOnlyList<string>? arguments,
        IReadOnlyDictionary<string, string> environment,
        RestartPayload? restart,
        bool? essential,
        string path)
    {
        bool isShell = shell ?? true;
        if (isShell && arguments is not null)
        {
            throw new TaskPayloadException(
                $"TaskInfo.data at {path}.arguments: arguments are only used with \"shell\": false; with a shell, write them into the command");
        }

        if (arguments is not null && arguments.Any(argument => argument is null))
        {
            throw new TaskPayloadException($"TaskInfo.data at {path}.arguments: an argument is null; use strings");
        }

        return new ProcessSpec
        {
            Name = name,
            Command = command,
            Shell = isShell,
            Arguments = arguments ?? [],
            Environment = environment,
            Restart = BuildRestart(restart, $"{path}.restart"),
            Essential = essential ?? true,
        };
    }

    private static RestartPolicy BuildRestart(RestartPayload? restart, string path)
    {
        if (restart is null)
        {
            return RestartPolicy.Never;
        }

        var kind = restart.Policy switch
        {
            null or "never" => RestartKind.Never,
            "on-failure" => RestartKind.OnFailure,
            "always" => RestartKind.Always,
            _ => throw new TaskPayloadException(
                $"TaskInfo.data at {path}.policy: '{restart.Policy}' is not a restart policy; use \"never\", \"on-failure\" or \"always\""),
        };

        if (restart.MaxRestarts is < 0)
        {
            throw new TaskPayloadException($"TaskInfo.data at {path}.max_restarts: {restart.MaxRestarts} is negative; leave it out for no limit");
        }

        var policy = new RestartPolicy { Kind = kind, MaxRestarts = restart.MaxRestarts };
        if (restart.Backoff is { } backoff)
        {
            policy = policy with
            {
                InitialBackoff = backoff.Initial ?? policy.InitialBackoff,
                MaxBackoff = backoff.Max ?? policy.MaxBackoff,
                BackoffFactor = backoff.Factor ?? policy.BackoffFactor,
            };
            if (policy.BackoffFactor is < 1 or double.NaN || double.IsInfinity(policy.BackoffFactor))
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}.backoff.factor: {policy.BackoffFactor} must be a number of at least 1");
            }

            if (policy.MaxBackoff < policy.InitialBackoff)
            {
                throw new TaskPayloadException(
                    $"TaskInfo.data at {path}.backoff.max: {policy.MaxBackoff} is shorter than backoff.initial ({policy.InitialBackoff})");
            }
        }

        return policy;
    }

    private static void CheckEnvironment(IReadOnlyDictionary<string, string>? environment, string path)
    {
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}: '{name}' is not a valid variable name (empty, or contains '=' or NUL)");
            }

            if (value is null)
            {
                throw new TaskPayloadException($"TaskInfo.data at {path}.{name}: the value is null; use a string");
            }
        }
    }

    /// <summary>System.Text.Json's messages name .NET types; say what the payload should contain instead.</summary>
    private static string Describe(JsonException ex)
    {
        var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
        var where = ex.LineNumber is long line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var field = QuotedName().Match(message) is { Success: true } match ? match.Groups[1].Value : "?";
            var parent = path.EndsWith("." + field, StringComparison.Ordinal) ? path[..^(field.Length + 1)] : path;
            return $"TaskInfo.data at {parent}: unknown field '{field}'{where}; the fields are described in the task payload documentation";
        }

        if (ex.InnerException is null && message.StartsWith("expected ", StringComparison.Ordinal))
        {
            return $"TaskInfo.data at {path}: {message}{where}"; // our own converters
        }

        if (ex.LineNumber is null || message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"TaskInfo.data at {path}: expected {Expected(path)}{where}";
        }

        return $"TaskInfo.data is not valid JSON{where}: {FirstSentence(ex.InnerException?.Message ?? message)}";
    }

    private static string Expected(string path)
    {
        var last = path[(path.LastIndexOf('.') + 1)..];
        if (last.EndsWith(']'))
        {
            last = last[..last.IndexOf('[', StringComparison.Ordinal)];
            return last switch
            {
                "arguments" => "a string (each argument)",
                "processes" => "an object (each process)",
                _ => "a value of the right type",
            };
        }

        return last switch
        {
            "$" => "a JSON object such as {\"command\": \"./server\"}",
            "command" or "name" or "policy" => "a string",
            "shell" or "essential" => "true or false",
            "arguments" => "an array of strings",
            "environment" => "an object whose values are strings",
            "processes" => "an array of process objects",
            "restart" or "backoff" => "an object",
            "max_restarts" => "a whole number",
            "factor" => "a number",
            _ => path.Contains(".environment.", StringComparison.Ordinal) ? "a string" : "a value of the right type",
        };
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
