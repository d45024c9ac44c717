using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Processes.Output;
using Mesos.Executor.Runner.Tests.Support;

namespace Mesos.Executor.Runner.Tests.Processes;

/// <summary>Each test gets a leak guard; after the test, no process it started may be alive.</summary>
public abstract class ProcessTestBase : IDisposable
{
    internal ProcessLeakGuard Guard { get; } = new();

    internal TextSink Stdout { get; } = new();

    internal TextSink Stderr { get; } = new();

    /// <summary>A shell command with the test's environment and in-memory output (one start per test).</summary>
    internal ProcessCommand Sh(string script) => Configure(ProcessCommand.Shell(script));

    internal ProcessCommand Configure(ProcessCommand command) => command with
    {
        BaseEnvironment = Guard.BaseEnvironment,
        Output = ProcessOutput.ToSinks(() => Stdout, () => Stderr),
    };

    internal async Task<RunningProcess> StartAsync(ProcessCommand command)
    {
        var process = await command.StartAsync().Bounded();
        Guard.Track(process.Pid);
        return process;
    }

    public void Dispose()
    {
        Guard.Dispose();
        GC.SuppressFinalize(this);
    }
}
