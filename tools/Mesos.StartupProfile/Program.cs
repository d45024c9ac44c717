using System.Globalization;
using Mesos.StartupProfile;

// Mesos.StartupProfile: the methods an executor runs, from EventPipe traces of its runs, as a .mibc profile for
// crossgen2 (publish/profile-executor.sh records the traces and runs this; publish/ExecutorPublish.props compiles
// the profile's methods, and only those, ahead of time).
//   Mesos.StartupProfile make --assemblies DIR [--assemblies DIR]... --out X.mibc [--list X.tsv] TRACE|DIR...
//   Mesos.StartupProfile dump X.mibc
const string Usage = """
    usage: Mesos.StartupProfile make --assemblies DIR [--assemblies DIR]... --out X.mibc [--list X.tsv] TRACE.nettrace|DIR...
           Mesos.StartupProfile dump X.mibc
      make  reads the traces (runtime provider keywords 0x1F000080018, e.g. DOTNET_EventPipeConfig=
            Microsoft-Windows-DotNETRuntime:0x1F000080018:5) and writes every method they ran, earliest first use
            hottest; DIR holds the IL assemblies of the run (a trimmed publish: obj/.../linked)
      dump  prints a profile's groups and method counts
    """;

try
{
    return args switch
    {
        ["dump", var path] => MibcDump.Print(path, Console.Out),
        ["make", .. var rest] => Make(rest),
        _ => Fail(Usage),
    };
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException)
{
    return Fail($"Mesos.StartupProfile: {ex.Message}");
}

static int Make(string[] args)
{
    var directories = new List<string>();
    var traces = new List<string>();
    string? output = null;
    string? list = null;
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--assemblies" when i + 1 < args.Length:
                directories.Add(args[++i]);
                break;
            case "--out" when i + 1 < args.Length:
                output = args[++i];
                break;
            case "--list" when i + 1 < args.Length:
                list = args[++i];
                break;
            case var path when Directory.Exists(path):
                traces.AddRange(Directory.GetFiles(path, "*.nettrace").Order(StringComparer.Ordinal));
                break;
            case var path when File.Exists(path):
                traces.Add(path);
                break;
            case var other:
                return Fail($"Mesos.StartupProfile: '{other}' is neither an option nor a trace file or directory\n{Usage}");
        }
    }

    if (output is null || directories.Count == 0 || traces.Count == 0)
    {
        return Fail($"Mesos.StartupProfile make needs --out, --assemblies and at least one trace\n{Usage}");
    }

    using var catalog = new AssemblyCatalog(directories);
    var profile = new Dictionary<string, ProfiledMethod>();
    foreach (var trace in traces)
    {
        var reader = new TraceReader(catalog);
        reader.Read(trace, profile);
        Console.WriteLine($"{Path.GetFileName(trace)}{(reader.Truncated ? " (cut short)" : "")}: {reader.Unresolved} methods not resolved");
        reader.UnresolvedSamples.Take(3).ToList().ForEach(s => Console.WriteLine("   not resolved: " + s));
    }

    // Earlier first use = hotter: crossgen2 lays hot methods out together.
    var ordered = profile.Values.OrderBy(p => p.FirstUseMs).ThenBy(p => p.Method.Key, StringComparer.Ordinal).ToList();
    var writer = new MibcWriter(catalog, Path.GetFileNameWithoutExtension(output));
    using (var file = File.Create(output))
    {
        writer.Write(file, ordered.Select((p, rank) => (p.Method, Weight: 1_000_000.0 - rank)));
    }

    Console.WriteLine($"{output}: {ordered.Count - writer.Skipped.Count} methods from {traces.Count} traces " +
        $"({ordered.Count(p => p.Jitted)} JIT-compiled, {ordered.Count(p => p.Precompiled)} precompiled somewhere), {writer.Skipped.Count} skipped");
    writer.Skipped.Take(5).ToList().ForEach(s => Console.WriteLine("   skipped: " + s));
    if (list is not null)
    {
        using var text = new StreamWriter(list);
        text.WriteLine("first_use_ms\ttraces\tjitted\tprecompiled\tmethod");
        foreach (var p in ordered)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.FirstUseMs:F1}\t{p.Traces}\t{(p.Jitted ? 1 : 0)}\t{(p.Precompiled ? 1 : 0)}\t{p.Method.Key} {NameOrUnknown(writer, p.Method)}"));
        }
    }

    return 0;
}

static string NameOrUnknown(MibcWriter writer, MethodIdentity method)
{
    try
    {
        return writer.MethodName(method);
    }
    catch (Exception ex) when (ex is KeyNotFoundException or BadImageFormatException)
    {
        return "?";
    }
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 64;
}
