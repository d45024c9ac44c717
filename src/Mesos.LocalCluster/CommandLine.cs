using System.Globalization;

namespace Mesos.LocalCluster;

/// <summary>What the command line asked for.</summary>
internal sealed record CommandLine
{
    public const string Usage = """
        mesos-local — a Mesos cluster on this machine, and a sample framework that shows what the executor does.

        Usage:
          mesos-local [demo] [options]     run the demo (the default command)
          mesos-local serve [options]      keep a local cluster running for frameworks in any language, until Ctrl+C
          mesos-local --help

        The demo publishes the single-file executor (publish/publish-executor.sh), starts a fake master and
        fake agents on 127.0.0.1, serves the executor over HTTP with its sha256, and runs a framework on
        Mesos.Scheduler.Lite that launches: a 3-process task whose flaky process is restarted by its policy;
        an HTTP service whose health check passes, then fails until the executor kills it; a task group whose
        failing member takes the group down; a task that ignores SIGTERM, killed by the scheduler after its
        grace period. One line per state change, a summary at the end; exit code 0 only if every
        expectation held.

        Options (demo):
          --work-dir DIR        sandboxes and the published executor go here (default: a temporary folder, removed after)
          --agents N            number of fake agents (default 1)
          --executor-path FILE  use this published mesos-executor instead of publishing one
          --master URL          run the sample framework against a real master (e.g. http://HOST:5050) instead of
                                the local cluster; its agents must reach the executor URL and run the sample
                                service (same machine), or pass --executor-uri
          --executor-uri URL    with --master: where agents fetch the executor (default: served by this demo)
          --timeout SECONDS     give up on the sample framework after this long (default 90)
          -h, --help            this text

        Options (serve): --port N (the master's port on 127.0.0.1, default 5050; 0: ephemeral), --agents N,
        --work-dir DIR, --executor-path FILE. The master serves the v1 scheduler API (/api/v1/scheduler) and
        /state, /master/state, /health, /version; command tasks run under the published executor as their
        command executor; custom executors are fetched by http:// or file:// URI.

        Exit codes: 0 every expectation held, 1 some did not, 2 bad command line, 3 the executor could not be published.
        """;

    public string Command { get; init; } = "demo";

    public string? WorkDirectory { get; init; }

    public int Agents { get; init; } = 1;

    public string? ExecutorPath { get; init; }

    /// <summary>serve: the master's port on 127.0.0.1 (0: ephemeral).</summary>
    public int Port { get; init; } = 5050;

    public Uri? Master { get; init; }

    public Uri? ExecutorUri { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    public bool Help { get; init; }

    /// <summary>The rest of the arguments, for the internal <c>sample-service</c> command.</summary>
    public IReadOnlyList<string> Rest { get; init; } = [];

    /// <exception cref="ArgumentException">A bad option; the message names it.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            result = result with { Command = args[0] };
            i = 1;
            if (args[0] == "sample-service")
            {
                return result with { Rest = args.Skip(1).ToArray() };
            }

            if (args[0] is not ("demo" or "serve"))
            {
                throw new ArgumentException($"Unknown command '{args[0]}' (expected demo or serve)");
            }
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            result = name switch
            {
                "-h" or "--help" => result with { Help = true },
                "--work-dir" => result with { WorkDirectory = Value() },
                "--agents" => result with { Agents = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 16 ? n : throw new ArgumentException("--agents must be a number from 1 to 16") },
                "--port" => result with { Port = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535 ? p : throw new ArgumentException("--port must be a TCP port from 0 to 65535 (0: ephemeral)") },
                "--executor-path" => result with { ExecutorPath = Value() },
                "--master" => result with { Master = Uri.TryCreate(Value(), UriKind.Absolute, out var m) && m.Scheme is "http" or "https" ? m : throw new ArgumentException("--master must be an http:// or https:// URL, e.g. http://10.0.0.5:5050") },
                "--executor-uri" => result with { ExecutorUri = Uri.TryCreate(Value(), UriKind.Absolute, out var u) ? u : throw new ArgumentException("--executor-uri must be an absolute URL") },
                "--timeout" => result with { Timeout = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s) : throw new ArgumentException("--timeout must be a positive number of seconds") },
                _ => throw new ArgumentException($"Unknown option '{name}' (see --help)"),
            };
        }

        if (result.ExecutorUri is not null && result.Master is null)
        {
            throw new ArgumentException("--executor-uri goes with --master (the local cluster serves the executor itself)");
        }

        if (result.Command == "serve" && (result.Master is not null || result.ExecutorUri is not null))
        {
            throw new ArgumentException("--master and --executor-uri go with the demo; serve is the master itself");
        }

        return result;
    }
}
