using System.Text.Json.Serialization;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>
/// What a plain LAUNCH tells this executor to run, as JSON in <c>TaskInfo.data</c> (Mesos rejects a task
/// that carries both an ExecutorInfo and a CommandInfo, so the command cannot travel in TaskInfo.command).
/// Field names are snake_case; unknown fields are an error (a typo must not silently change behaviour).
/// <code>
/// {"command": "./server --port $PORT0"}                       one process, /bin/sh -c
///
/// {"command": "/usr/bin/python3", "shell": false,              one process, exact argv (argv[0] included)
///  "arguments": ["python3", "-m", "http.server"],
///  "environment": {"PYTHONUNBUFFERED": "1"}}
///
/// {"environment": {"MODE": "prod"},                            several processes (1:N); the top-level
///  "processes": [                                              environment applies to all of them
///    {"name": "web", "command": "./web",
///     "restart": {"policy": "on-failure", "max_restarts": 3,
///                 "backoff": {"initial": "1secs", "max": "30secs", "factor": 2}}},
///    {"name": "metrics", "command": "./exporter", "essential": false,
///     "restart": {"policy": "always"}}]}
/// </code>
/// Durations are Mesos text (<c>"250ms"</c>, <c>"5secs"</c>, <c>"2mins"</c>) or a number of seconds.
/// </summary>
internal sealed record TaskPayload
{
    /// <summary>The command: a shell command line, or with <see cref="Shell"/> false the executable.</summary>
    public string? Command { get; init; }

    /// <summary>Run <see cref="Command"/> through <c>/bin/sh -c</c> (default true), as Mesos' CommandInfo.shell.</summary>
    public bool? Shell { get; init; }

    /// <summary>With shell false: the whole argv, argv[0] included (Mesos' CommandInfo.arguments).</summary>
    public IReadOnlyList<string>? Arguments { get; init; }

    /// <summary>Variables set over the executor's environment (which never passes on its secrets).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Several processes for one task, instead of <see cref="Command"/>.</summary>
    public IReadOnlyList<ProcessPayload>? Processes { get; init; }
}

/// <summary>One process of a 1:N task.</summary>
internal sealed record ProcessPayload
{
    /// <summary>Unique within the task: letters, digits, '.', '_' and '-'. Names its output files and its messages.</summary>
    public string? Name { get; init; }

    public string? Command { get; init; }

    public bool? Shell { get; init; }

    public IReadOnlyList<string>? Arguments { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>When to start the process again after it ends (default: never).</summary>
    public RestartPayload? Restart { get; init; }

    /// <summary>
    /// Default true. The task is RUNNING when every essential process runs, FAILED when an essential process
    /// fails beyond its restart budget, FINISHED when every essential process has exited 0 for good.
    /// A non-essential process may fail without failing the task.
    /// </summary>
    public bool? Essential { get; init; }
}

/// <summary>Restart policy of one process.</summary>
internal sealed record RestartPayload
{
    /// <summary><c>never</c> (default), <c>on-failure</c> (non-zero exit or signal) or <c>always</c>.</summary>
    public string? Policy { get; init; }

    /// <summary>How many restarts are allowed (absent: no limit).</summary>
    public int? MaxRestarts { get; init; }

    public BackoffPayload? Backoff { get; init; }
}

/// <summary>Delay before restart n (from 0): min(max, initial × factor^n).</summary>
internal sealed record BackoffPayload
{
    /// <summary>Default 1 second.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan? Initial { get; init; }

    /// <summary>Default 30 seconds.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan? Max { get; init; }

    /// <summary>Default 2.</summary>
    public double? Factor { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(TaskPayload))]
internal sealed partial class TaskPayloadJsonContext : JsonSerializerContext;
