namespace Mesos.Executor.Runner.Processes.Output;

/// <summary>What happens to a process's stdout and stderr.</summary>
internal abstract record ProcessOutput
{
    private ProcessOutput()
    {
    }

    /// <summary>Both to /dev/null.</summary>
    public static ProcessOutput Discard { get; } = new DiscardOutput();

    /// <summary>The executor's own stdout and stderr (what the Mesos command executor does).</summary>
    public static ProcessOutput Inherit { get; } = new InheritOutput();

    /// <summary>Size-bounded, rotated files that never block the child.</summary>
    public static ProcessOutput ToFiles(OutputOptions options) => new FileOutput(options);

    /// <summary>Custom sinks, made fresh for every start.</summary>
    public static ProcessOutput ToSinks(Func<OutputSink> stdout, Func<OutputSink> stderr) => new SinkOutput(stdout, stderr);

    internal sealed record DiscardOutput : ProcessOutput;

    internal sealed record InheritOutput : ProcessOutput;

    internal sealed record FileOutput(OutputOptions Options) : ProcessOutput;

    internal sealed record SinkOutput(Func<OutputSink> Stdout, Func<OutputSink> Stderr) : ProcessOutput;
}
