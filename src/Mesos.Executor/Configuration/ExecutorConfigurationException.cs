namespace Mesos.Executor.Configuration;

/// <summary>The executor's settings are incomplete or malformed; <see cref="Problems"/> lists every problem found.</summary>
public sealed class ExecutorConfigurationException : Exception
{
    public ExecutorConfigurationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>One line per missing or malformed setting, naming it.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        "The executor cannot start: its Mesos environment is incomplete or malformed (the agent sets these variables when it "
        + "launches an executor; to run one by hand, set them yourself):" + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}
