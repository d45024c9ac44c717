using System.Diagnostics.CodeAnalysis;

namespace Mesos.Executor.Runner.Tasks;

/// <summary>
/// Marathon's convention for custom executors: the ExecutorInfo's command value is
/// <c>chmod ug+rx '&lt;executor&gt;' &amp;&amp; exec '&lt;executor&gt;' &lt;app command&gt;</c>, so the app's
/// command is whatever follows the quoted executor path after <c>exec</c>.
/// </summary>
internal static class MarathonCommand
{
    private const string Exec = "exec '";

    /// <summary>
    /// The app command after <c>exec '&lt;path&gt;' </c> in <paramref name="executorCommand"/>; false when the
    /// value does not follow the convention or has nothing after the executor path.
    /// </summary>
    public static bool TryExtractAppCommand(string? executorCommand, [NotNullWhen(true)] out string? appCommand)
    {
        appCommand = null;
        if (string.IsNullOrEmpty(executorCommand))
        {
            return false;
        }

        // The first "exec '" that starts the value or follows "&& " / "; " / whitespace: the app command itself may contain "exec '".
        int search = 0;
        while (true)
        {
            int at = executorCommand.IndexOf(Exec, search, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            if (at == 0 || char.IsWhiteSpace(executorCommand[at - 1]))
            {
                int pathStart = at + Exec.Length;
                int pathEnd = executorCommand.IndexOf('\'', pathStart);
                if (pathEnd <= pathStart)
                {
                    return false;
                }

                var rest = executorCommand[(pathEnd + 1)..];
                if (rest.Length == 0 || !char.IsWhiteSpace(rest[0]))
                {
                    return false;
                }

                var command = rest.TrimStart();
                if (command.Length == 0)
                {
                    return false;
                }

                appCommand = command;
                return true;
            }

            search = at + 1;
        }
    }
}
