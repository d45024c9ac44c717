using System.Diagnostics;

namespace Mesos.SeedComparison;

/// <summary>The facts the README names about the machine: <c>nproc</c>, <c>free -h</c>, <c>uname -r</c>, CPU, load.</summary>
internal sealed record Machine(DateTimeOffset When, string Cores, string Memory, string Kernel, string Cpu, string LoadAverage, string Dotnet, string Node)
{
    public static async Task<Machine> DescribeAsync(string nodePath, CancellationToken cancellationToken)
    {
        var free = (await RunAsync("free", ["-h"], cancellationToken)).Split('\n');
        var header = free[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mem = free.FirstOrDefault(l => l.StartsWith("Mem:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var memory = string.Join(", ", header.Zip(mem.Skip(1)).Where(p => p.First is "total" or "used" or "available").Select(p => $"{p.First} {p.Second}"));
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var load = string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));
        return new Machine(
            DateTimeOffset.UtcNow,
            (await RunAsync("nproc", [], cancellationToken)).Trim(),
            memory,
            (await RunAsync("uname", ["-r"], cancellationToken)).Trim(),
            cpu,
            load,
            Environment.Version.ToString(),
            (await RunAsync(nodePath, ["--version"], cancellationToken)).Trim());
    }

    public static async Task<string> LoadAverageAsync(CancellationToken cancellationToken) =>
        string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));

    private static async Task<string> RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {fileName}");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return output;
    }
}
