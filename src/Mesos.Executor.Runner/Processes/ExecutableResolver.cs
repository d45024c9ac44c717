using System.Text;
using Mesos.Executor.Runner.Processes.Native;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// Finds the file a command names the way execvp would in the child (PATH from the child's environment,
/// relative paths against its working directory), so a missing or non-executable program is a clear start
/// error instead of an exit code 127 from somewhere in the launch chain.
/// </summary>
internal static class ExecutableResolver
{
    public static string Resolve(string executable, string? pathVariable, string? workingDirectory)
    {
        if (string.IsNullOrEmpty(executable))
        {
            throw new ProcessStartException("no executable was given (the command value is empty)");
        }

        if (executable.Contains('\0', StringComparison.Ordinal))
        {
            throw new ProcessStartException($"executable '{executable}' contains a NUL character");
        }

        if (executable.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.IsPathRooted(executable)
                ? executable
                : Path.GetFullPath(Path.Combine(workingDirectory ?? Environment.CurrentDirectory, executable));
            return Check(full, executable) ?? full;
        }

        var searched = string.IsNullOrEmpty(pathVariable) ? Defaults.SearchPath : pathVariable;
        string? firstProblem = null;
        foreach (var directory in searched.Split(':'))
        {
            var dir = directory.Length == 0 ? (workingDirectory ?? Environment.CurrentDirectory) : directory;
            var candidate = Path.Combine(dir, executable);
            if (!File.Exists(candidate) && !Directory.Exists(candidate))
            {
                continue;
            }

            var problem = Problem(candidate);
            if (problem is null)
            {
                return candidate;
            }

            firstProblem ??= $"'{candidate}' {problem}";
        }

        throw new ProcessStartException(firstProblem is null
            ? $"executable '{executable}' was not found in PATH ({searched})"
            : $"executable '{executable}' cannot be run: {firstProblem}");
    }

    private static string? Check(string full, string given)
    {
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new ProcessStartException(given == full
                ? $"executable '{full}' does not exist"
                : $"executable '{given}' does not exist (resolved to '{full}')");
        }

        var problem = Problem(full);
        return problem is null ? null : throw new ProcessStartException($"executable '{full}' {problem}");
    }

    private static unsafe string? Problem(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a directory";
        }

        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return Libc.access(p, Libc.X_OK) == 0 ? null : "is not executable (no execute permission)";
        }
    }
}
