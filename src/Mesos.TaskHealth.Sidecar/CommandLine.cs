using System.Globalization;
using System.Text.Json;

namespace Mesos.TaskHealth.Sidecar;

/// <summary>Parses the command line into a <see cref="SidecarConfig"/> (merged with <c>--config</c> if given).</summary>
internal static class CommandLine
{
    public const string Usage = """
        mesos-health-sidecar: probe targets, print one JSON line per health transition, serve their status.

        Usage: mesos-health-sidecar [targets] [target options] [policy] [output]

        Targets (repeatable; target options apply to the target just before them):
          --http URL                 HTTP(S) GET of URL
          --tcp HOST:PORT            TCP connect
          --command "CMD"            /bin/sh -c CMD must exit 0
          --config FILE              targets, policies and settings from a JSON file
        Target options:
          --name NAME                the target's name (default: http-1, tcp-2, ...)
          --method M                 HTTP method (GET)
          --header "Name: value"     extra request header (repeatable)
          --status-codes SET         accepted codes, e.g. 200-399 (default), 200,204, 2xx
          --ignore-1xx               discard informational answers
          --follow-redirects         judge the final answer after 3xx redirects
          --insecure                 skip TLS certificate validation
          --body-contains TEXT       the body must contain TEXT
          --body-regex REGEX         the body must match REGEX
          --body-json PATH=VALUE     the JSON body's value at PATH (e.g. checks.db) must be VALUE
        Policy (for every command-line target):
          --delay D                  before the first probe (0)
          --interval D               between the end of a probe and the next (10s)
          --timeout D                per probe (5s)
          --grace D                  failures are not counted this long, or until the first success (0)
          --failures N               counted failures in a row before unhealthy (3)
          --successes N              successes in a row before healthy (1)
          Durations: 500ms, 10s, 2m, 10secs, 00:00:10
        Output:
          --listen HOST:PORT         status endpoint (default 127.0.0.1:0, a free port); GET / answers
                                     200 when every target is healthy, else 503, with per-target JSON
          --no-status                no status endpoint
          --exit-on-unhealthy        exit 1 as soon as a target becomes unhealthy
          --help                     this text

        stdout: {"type":"listening",...} once, then {"type":"transition",...} per change. Logs go to stderr.
        Exit codes: 0 stopped by SIGTERM/SIGINT, 1 a target became unhealthy (--exit-on-unhealthy), 2 bad usage.
        """;

    public sealed record Parsed(SidecarConfig Config, bool Help, bool NoStatus);

    public static Parsed Parse(IReadOnlyList<string> args)
    {
        var config = new SidecarConfig();
        var cliTargets = new List<TargetConfig>();
        var policy = new PolicyConfig();
        var policySet = false;
        var help = false;
        var noStatus = false;
        string? configFile = null;
        TargetConfig? last = null;

        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ConfigException($"{option} needs a value");
            HttpTargetConfig LastHttp() => last?.Http ?? throw new ConfigException($"{option} applies to an --http target; put it after one");

            switch (option)
            {
                case "--help" or "-h":
                    help = true;
                    break;
                case "--http":
                    last = new TargetConfig { Http = new HttpTargetConfig { Url = Value() } };
                    cliTargets.Add(last);
                    break;
                case "--tcp":
                    last = new TargetConfig { Tcp = ParseHostPort(Value(), option) };
                    cliTargets.Add(last);
                    break;
                case "--command":
                    last = new TargetConfig { Command = new CommandTargetConfig { Shell = Value() } };
                    cliTargets.Add(last);
                    break;
                case "--config":
                    configFile = Value();
                    break;
                case "--name":
                    (last ?? throw new ConfigException("--name names the target before it; put it after --http, --tcp or --command")).Name = Value();
                    break;
                case "--method":
                    LastHttp().Method = Value();
                    break;
                case "--header":
                    var header = Value();
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        throw new ConfigException($"--header '{header}' must look like 'Name: value'");
                    }

                    var http = LastHttp();
                    http.Headers ??= [];
                    http.Headers[header[..colon].Trim()] = header[(colon + 1)..].Trim();
                    break;
                case "--status-codes":
                    LastHttp().StatusCodes = Value();
                    break;
                case "--ignore-1xx":
                    LastHttp().Ignore1xx = true;
                    break;
                case "--follow-redirects":
                    LastHttp().FollowRedirects = true;
                    break;
                case "--insecure":
                    LastHttp().Insecure = true;
                    break;
                case "--body-contains":
                    LastHttp().BodyContains = Value();
                    break;
                case "--body-regex":
                    LastHttp().BodyRegex = Value();
                    break;
                case "--body-json":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ConfigException($"--body-json '{pair}' must look like PATH=VALUE, e.g. status=up");
                    }

                    LastHttp().BodyJson = new JsonValueConfig { Path = pair[..eq], Value = pair[(eq + 1)..] };
                    break;
                case "--delay":
                    policy.Delay = Value();
                    policySet = true;
                    break;
                case "--interval":
                    policy.Interval = Value();
                    policySet = true;
                    break;
                case "--timeout":
                    policy.Timeout = Value();
                    policySet = true;
                    break;
                case "--grace":
                    policy.GracePeriod = Value();
                    policySet = true;
                    break;
                case "--failures":
                    policy.ConsecutiveFailures = ParseInt(Value(), option);
                    policySet = true;
                    break;
                case "--successes":
                    policy.SuccessesBeforeHealthy = ParseInt(Value(), option);
                    policySet = true;
                    break;
                case "--listen":
                    config.Listen = Value();
                    break;
                case "--no-status":
                    noStatus = true;
                    break;
                case "--exit-on-unhealthy":
                    config.ExitOnUnhealthy = true;
                    break;
                default:
                    throw new ConfigException($"unknown option '{option}'; see --help");
            }
        }

        if (configFile is not null)
        {
            var fromFile = Load(configFile);
            config.Targets.AddRange(fromFile.Targets);
            config.Listen ??= fromFile.Listen;
            config.ExitOnUnhealthy ??= fromFile.ExitOnUnhealthy;
        }

        foreach (var target in cliTargets)
        {
            target.Policy = policySet ? policy : null;
            config.Targets.Add(target);
        }

        if (!help && config.Targets.Count == 0)
        {
            throw new ConfigException("no targets: give --http, --tcp, --command or --config (see --help)");
        }

        return new Parsed(config, help, noStatus);
    }

    public static SidecarConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new ConfigException($"--config {path}: cannot read it ({ex.Message})");
        }

        try
        {
            return JsonSerializer.Deserialize(json, SidecarJsonContext.Default.SidecarConfig)
                ?? throw new ConfigException($"--config {path}: the file holds no object");
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"--config {path}: not valid sidecar JSON at {ex.Path}: {ex.Message}");
        }
    }

    private static TcpTargetConfig ParseHostPort(string text, string option)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ConfigException($"{option} '{text}' must look like HOST:PORT, e.g. 127.0.0.1:5432");
        }

        return new TcpTargetConfig { Host = text[..colon].Trim('[', ']'), Port = port };
    }

    private static int ParseInt(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConfigException($"{option} '{text}' is not a whole number");
}
