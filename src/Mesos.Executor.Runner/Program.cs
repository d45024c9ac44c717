namespace Mesos.Executor.Runner;

/// <summary>
/// Entry point. The executor protocol wiring (SUBSCRIBE, LAUNCH, KILL, ...) lands with the executor library;
/// until then this only explains how the binary is meant to be started.
/// </summary>
internal static class Program
{
    private const string Usage = """
        mesos-executor: a Mesos custom executor that runs each task as a supervised set of processes.

        It is started by a Mesos agent (ExecutorInfo.command with this file as an executable URI), which
        sets MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_DIRECTORY and friends.
        What a task runs comes from TaskInfo.data, for example {"command": "./server --port $PORT0"}.

        This build only contains the process supervisor; the agent connection is not wired yet.
        """;

    public static int Main(string[] args)
    {
        Console.Out.WriteLine(Usage);
        return args.Length == 0 ? 0 : 64; // EX_USAGE: no arguments are understood yet.
    }
}
