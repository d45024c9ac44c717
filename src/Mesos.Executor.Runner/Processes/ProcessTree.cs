using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Mesos.Executor.Runner.Processes.Native;

namespace Mesos.Executor.Runner.Processes;

/// <summary>What belongs to one task process: its group/session (while the leader is unreaped) and its marker.</summary>
/// <param name="GroupId">The leader's pid = its process group and session id, or null once the leader is reaped (the id may be reused then).</param>
/// <param name="Marker">The value of <see cref="ProcessTree.MarkerVariable"/> every descendant inherits.</param>
internal sealed record TreeTarget(int? GroupId, string Marker);

/// <summary>
/// Finds and kills every live process of a task by scanning /proc: members of its process group or session,
/// processes whose environment carries its marker (daemons that called setsid and double-forked), and any
/// descendant of those (a child that cleared its environment while its parent still lived).
/// A process that both left the session and dropped the marker after its parent died cannot be told apart
/// from any other process on the host; that is the limit of tracking without cgroups.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The variable every task process gets; its value is unique per process run.</summary>
    public const string MarkerVariable = "MESOS_AGENT_TASK_MARKER";

    private static readonly byte[] s_markerPrefix = Encoding.ASCII.GetBytes(MarkerVariable + "=");

    /// <summary>One live process seen in /proc.</summary>
    internal readonly record struct ProcEntry(int Pid, int ParentPid, int GroupId, int SessionId, char State);

    /// <summary>
    /// SIGKILLs everything that belongs to <paramref name="targets"/>, scanning /proc again until nothing is
    /// left alive (zombies do not count) or <paramref name="timeout"/> passes. One scan serves all targets, so
    /// stopping many tasks at once costs one pass over /proc per round, not one per task.
    /// </summary>
    /// <returns>True when nothing is left alive.</returns>
    public static bool KillAll(IReadOnlyCollection<TreeTarget> targets, TimeSpan timeout)
    {
        if (targets.Count == 0)
        {
            return true;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        for (int round = 0; ; round++)
        {
            foreach (var target in targets)
            {
                if (target.GroupId is int group)
                {
                    _ = Libc.kill(-group, Libc.SIGKILL);
                }
            }

            var members = FindMembers(targets);
            if (members.Count == 0)
            {
                return true;
            }

            foreach (var pid in members.Keys)
            {
                _ = Libc.kill(pid, Libc.SIGKILL);
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            // SIGKILL is asynchronous: give the kernel a moment to turn the victims into zombies.
            Thread.Sleep(round < 20 ? 1 : 10);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to every live member of <paramref name="targets"/> (one scan).</summary>
    public static void SignalAll(IReadOnlyCollection<TreeTarget> targets, int signal)
    {
        foreach (var pid in FindMembers(targets).Keys)
        {
            _ = Libc.kill(pid, signal);
        }
    }

    /// <summary>Live (not zombie) processes that belong to a target, with the target they belong to.</summary>
    public static Dictionary<int, TreeTarget> FindMembers(IReadOnlyCollection<TreeTarget> targets)
    {
        var byGroup = new Dictionary<int, TreeTarget>();
        var byMarker = new Dictionary<string, TreeTarget>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            if (target.GroupId is int group)
            {
                byGroup[group] = target;
            }

            byMarker[target.Marker] = target;
        }

        int self = Libc.getpid();
        var entries = Snapshot();
        var members = new Dictionary<int, TreeTarget>();
        var environ = new byte[16 * 1024];
        foreach (var entry in entries)
        {
            if (entry.Pid == self || entry.Pid == 1 || entry.State is 'Z' or 'X')
            {
                continue;
            }

            if (byGroup.TryGetValue(entry.GroupId, out var target) || byGroup.TryGetValue(entry.SessionId, out target))
            {
                members[entry.Pid] = target;
            }
            else if (ReadMarker(entry.Pid, ref environ) is string marker && byMarker.TryGetValue(marker, out target))
            {
                members[entry.Pid] = target;
            }
        }

        // Descendants of members, whatever their group or environment.
        bool added = members.Count > 0;
        while (added)
        {
            added = false;
            foreach (var entry in entries)
            {
                if (entry.Pid != self && entry.State is not ('Z' or 'X') && !members.ContainsKey(entry.Pid)
                    && members.TryGetValue(entry.ParentPid, out var parentTarget))
                {
                    members[entry.Pid] = parentTarget;
                    added = true;
                }
            }
        }

        return members;
    }

    /// <summary>Every process in /proc with its parent, group, session and state.</summary>
    public static List<ProcEntry> Snapshot()
    {
        var result = new List<ProcEntry>();
        var buffer = new byte[1024];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = dir.AsSpan(6);
            if (!int.TryParse(name, out int pid))
            {
                continue;
            }

            if (TryReadStat(pid, buffer) is ProcEntry entry)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>Parses /proc/PID/stat: "pid (comm) state ppid pgrp session ..." (comm may contain spaces and parentheses).</summary>
    public static ProcEntry? TryReadStat(int pid, byte[] buffer)
    {
        int length = ReadFile($"/proc/{pid}/stat", ref buffer, grow: false);
        if (length <= 0)
        {
            return null;
        }

        var text = buffer.AsSpan(0, length);
        int close = text.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= length)
        {
            return null;
        }

        var rest = text[(close + 2)..];
        Span<int> fields = stackalloc int[3];
        char state = (char)rest[0];
        int position = 2;
        for (int i = 0; i < 3; i++)
        {
            int end = rest[position..].IndexOf((byte)' ');
            if (end < 0 || !int.TryParse(rest.Slice(position, end), out fields[i]))
            {
                return null;
            }

            position += end + 1;
        }

        return new ProcEntry(pid, fields[0], fields[1], fields[2], state);
    }

    /// <summary>The marker in /proc/PID/environ (the environment the process was started with), or null.</summary>
    public static string? ReadMarker(int pid, ref byte[] buffer)
    {
        int length = ReadFile($"/proc/{pid}/environ", ref buffer, grow: true);
        if (length <= 0)
        {
            return null;
        }

        var environ = buffer.AsSpan(0, length);
        int start = 0;
        while (start < environ.Length)
        {
            int end = environ[start..].IndexOf((byte)0);
            var variable = end < 0 ? environ[start..] : environ.Slice(start, end);
            if (variable.StartsWith(s_markerPrefix))
            {
                return Encoding.ASCII.GetString(variable[s_markerPrefix.Length..]);
            }

            if (end < 0)
            {
                break;
            }

            start += end + 1;
        }

        return null;
    }

    /// <summary>Reads a whole /proc file (they report size 0, so read until EOF); -1 if it cannot be read.</summary>
    private static int ReadFile(string path, ref byte[] buffer, bool grow)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            int total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (!grow || buffer.Length >= 4 * 1024 * 1024)
                    {
                        return total;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                int count = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (count == 0)
                {
                    return total;
                }

                total += count;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1; // gone, or not ours to read (another user's process)
        }
    }
}
