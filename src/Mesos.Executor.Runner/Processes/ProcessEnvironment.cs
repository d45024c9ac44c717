using System.Collections;

namespace Mesos.Executor.Runner.Processes;

/// <summary>Builds a child's environment: the base (the executor's own by default) minus secrets, then the task's variables on top.</summary>
internal static class ProcessEnvironment
{
    /// <summary>The executor's current environment.</summary>
    public static Dictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }

    /// <summary>
    /// <paramref name="baseEnvironment"/> without <paramref name="excluded"/>, overlaid with
    /// <paramref name="overrides"/> (a task may still set an excluded name itself: that is its own value, not
    /// the executor's secret), and finally the marker variables (this process tree's, and the executor's for
    /// <see cref="ExecutorGuard"/>).
    /// </summary>
    public static Dictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> baseEnvironment,
        IReadOnlySet<string> excluded,
        IReadOnlyDictionary<string, string> overrides,
        string marker)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in baseEnvironment)
        {
            if (!excluded.Contains(name))
            {
                result[name] = value;
            }
        }

        foreach (var (name, value) in overrides)
        {
            Validate(name, value);
            result[name] = value;
        }

        result[ProcessTree.MarkerVariable] = marker;
        result[ExecutorGuard.Variable] = ExecutorGuard.Id;
        return result;
    }

    /// <summary>"NAME=value" entries for execve; entries the kernel cannot represent are rejected with their name.</summary>
    public static List<string> ToEnvp(Dictionary<string, string> environment)
    {
        var entries = new List<string>(environment.Count);
        foreach (var (name, value) in environment)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                || value.Contains('\0', StringComparison.Ordinal))
            {
                continue; // inherited junk (e.g. from a hand-built environment): skip rather than fail the task
            }

            entries.Add($"{name}={value}");
        }

        return entries;
    }

    private static void Validate(string name, string value)
    {
        if (name.Length == 0)
        {
            throw new ProcessStartException("an environment variable has an empty name");
        }

        if (name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ProcessStartException($"environment variable name '{name}' must not contain '=' or a NUL character");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ProcessStartException($"the value of environment variable '{name}' must not contain a NUL character");
        }
    }
}
