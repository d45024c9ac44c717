using System.Diagnostics;
using Mesos.StartupProfile;

namespace Mesos.StartupProfile.Tests;

/// <summary>
/// A real trace: this tool's own program run by the runtime with EventPipe switched on by environment variables, the
/// way publish/profile-executor.sh traces the executor, then read back into method identities.
/// </summary>
public sealed class TraceReaderTests
{
    [Fact]
    public async Task TraceOfARealRun_NamesTheMethodsItRan_ByDefinitionAndInstantiation()
    {
        var directory = Directory.CreateTempSubdirectory("trace-").FullName;
        var trace = Path.Combine(directory, "run.nettrace");
        var start = new ProcessStartInfo(Environment.ProcessPath!, [Path.Combine(AppContext.BaseDirectory, "Mesos.StartupProfile.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_EnableEventPipe"] = "1";
        start.Environment["DOTNET_EventPipeOutputPath"] = trace;
        start.Environment["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x1F000080018:5";
        using (var run = Process.Start(start)!)
        {
            var usage = run.StandardError.ReadToEndAsync();
            await run.StandardOutput.ReadToEndAsync();
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(64, run.ExitCode); // no arguments: it printed its usage
            Assert.Contains("usage:", await usage, StringComparison.Ordinal);
        }

        using var catalog = new AssemblyCatalog([Path.GetDirectoryName(typeof(object).Assembly.Location)!, AppContext.BaseDirectory]);
        var profile = new Dictionary<string, ProfiledMethod>();
        new TraceReader(catalog).Read(trace, profile);
        var writer = new MibcWriter(catalog, "check");
        string Name(ProfiledMethod p) => $"[{p.Method.Assembly}]{p.Method.Owner.Name}::{writer.MethodName(p.Method)}";
        var names = profile.Values.Select(Name).ToHashSet();

        // The program's own entry point and the local function it called, JIT-compiled (a framework-dependent run).
        Assert.Contains("[Mesos.StartupProfile]Program::<Main>$", names);
        Assert.Contains(profile.Values, p => Name(p).StartsWith("[Mesos.StartupProfile]Program::<<Main>$>g__Fail", StringComparison.Ordinal) && p.Jitted);
        // The framework's precompiled code it used, and shared generic code among it, resolved to definitions.
        Assert.Contains(profile.Values, p => p.Method.Assembly == "System.Private.CoreLib" && p.Precompiled);
        Assert.Contains(profile.Values, p => p.Method.Owner.Arguments.Any(a => a is CanonType));
        // Every method read can be written as a profile entry.
        writer.Write(new MemoryStream(), profile.Values.Select(p => (p.Method, 1.0)));
        Assert.Empty(writer.Skipped);
    }
}
