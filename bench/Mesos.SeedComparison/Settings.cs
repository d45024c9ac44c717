using System.Globalization;

namespace Mesos.SeedComparison;

/// <summary>What to compare and where things are; every path is given by bench/seed-comparison/run.sh.</summary>
internal sealed record Settings
{
    public required string OursPath { get; init; }

    /// <summary>Which build of ours was measured (the real runner, or the minimal stand-in), for the report.</summary>
    public required string OursLabel { get; init; }

    public required string NodePath { get; init; }

    /// <summary>The installed package folder, <c>.../node_modules/mesos-framework</c>.</summary>
    public required string SeedModule { get; init; }

    /// <summary>bench/seed-comparison: the seed launcher and the seed decode driver.</summary>
    public required string ScriptsDirectory { get; init; }

    public required string Recordings { get; init; }

    /// <summary>A scratch folder the script owns and deletes (sandboxes, stream files).</summary>
    public required string WorkDirectory { get; init; }

    public int Runs { get; init; } = 15;

    public int DecodeRepetitions { get; init; } = 7;

    /// <summary>The decode stream is the recordings repeated to at least this size.</summary>
    public int StreamBytes { get; init; } = 4 * 1024 * 1024;

    public string? ReadmePath { get; init; }

    public string? SvgPath { get; init; }

    /// <summary>The command that produced the figures, quoted in the README.</summary>
    public string Command { get; init; } = "bash bench/seed-comparison/run.sh";

    public static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'; see bench/seed-comparison/run.sh");
            }

            values[args[i][2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out var v)
            ? v
            : throw new ArgumentException($"--{name} is missing; bench/seed-comparison/run.sh passes it");
        int Number(string name, int fallback, int minimum)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            var n = int.Parse(text, CultureInfo.InvariantCulture);
            return n >= minimum ? n : throw new ArgumentException($"--{name} must be at least {minimum}, got {n}");
        }

        return new Settings
        {
            OursPath = Path.GetFullPath(Required("ours")),
            OursLabel = Required("ours-label"),
            NodePath = Required("node"),
            SeedModule = Path.GetFullPath(Required("seed-module")),
            ScriptsDirectory = Path.GetFullPath(Required("scripts")),
            Recordings = Path.GetFullPath(Required("recordings")),
            WorkDirectory = Path.GetFullPath(Required("work")),
            Runs = Number("runs", 15, 10),
            DecodeRepetitions = Number("decode-repetitions", 7, 3),
            StreamBytes = Number("stream-bytes", 4 * 1024 * 1024, 1024),
            ReadmePath = values.GetValueOrDefault("readme"),
            SvgPath = values.GetValueOrDefault("svg"),
            Command = values.GetValueOrDefault("command") ?? "bash bench/seed-comparison/run.sh",
        };
    }
}
