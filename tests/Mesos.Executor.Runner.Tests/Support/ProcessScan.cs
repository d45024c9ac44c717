using System.Globalization;
using System.Text;

namespace Mesos.Executor.Runner.Tests.Support;

/// <summary>Reads /proc: the live (non-zombie) processes of this machine, and which carry a given variable.</summary>
internal static class ProcessScan
{
    /// <summary>One live process as /proc shows it.</summary>
    public sealed record Entry(int Pid, string Name, char State, int Group, int Session, byte[] Environment)
    {
        public bool HasVariable(string name, string value) => ProcessScan.HasVariable(Environment, Encoding.UTF8.GetBytes($"{name}={value}"));
    }

    /// <summary>Every live process but this one; zombies are dead (reaping orphans is init's job) and left out.</summary>
    public static IEnumerable<Entry> LiveProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            string stat;
            byte[] environ;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
                environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // it ended while we looked
            }

            // "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            var state = fields[0][0];
            if (state is 'Z' or 'X')
            {
                continue;
            }

            yield return new Entry(
                pid,
                stat[..(close + 1)],
                state,
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                environ);
        }
    }

    /// <summary>Live processes other than <paramref name="exclude"/> whose environment has <c>name=value</c>.</summary>
    public static IReadOnlyList<int> WithVariable(string name, string value, int? exclude) =>
        LiveProcesses().Where(p => p.Pid != exclude && p.HasVariable(name, value)).Select(p => p.Pid).ToList();

    public static string Describe(int pid)
    {
        try
        {
            return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})";
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }

    // An exact NUL-separated entry, so "X=1" does not match "X=10".
    private static bool HasVariable(ReadOnlySpan<byte> environ, ReadOnlySpan<byte> needle)
    {
        foreach (var range in environ.Split((byte)0))
        {
            if (environ[range].SequenceEqual(needle))
            {
                return true;
            }
        }

        return false;
    }
}
