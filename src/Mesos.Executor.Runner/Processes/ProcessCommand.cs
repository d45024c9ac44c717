using Mesos.Executor.Runner.Processes.Output;

namespace Mesos.Executor.Runner.Processes;

/// <summary>
/// An immutable description of one process to run, in the spirit of CliWrap's <c>Command</c>: build it with
/// <see cref="Shell"/> or <see cref="Exec"/> and <c>with</c> expressions, then
/// <see cref="StartAsync"/> (a <see cref="RunningProcess"/> to supervise) or <see cref="ExecuteAsync"/>
/// (run to the end with a graceful and a forceful stop token).
/// <para>
/// Every process gets its own session and process group (its pid is both ids), a unique
/// <see cref="ProcessTree.MarkerVariable"/> in its environment that all descendants inherit, stdin from
/// /dev/null, default signal dispositions, and (where util-linux setpriv exists) a parent-death SIGKILL.
/// </para>
/// </summary>
internal sealed partial record ProcessCommand
{
    private static readonly IReadOnlyDictionary<string, string> s_noVariables = new Dictionary<string, string>();

    /// <summary>The program: an absolute or relative path, or a name searched in the child's PATH.</summary>
    public required string Executable { get; init; }

    /// <summary>The whole argv, argv[0] included (as Mesos' CommandInfo.arguments); empty means [<see cref="Executable"/>].</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];

    /// <summary>The task's own variables, set over <see cref="BaseEnvironment"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = s_noVariables;

    /// <summary>The environment to start from; null means the executor's own.</summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }

    /// <summary>Names removed from <see cref="BaseEnvironment"/> (secrets such as MESOS_EXECUTOR_AUTHENTICATION_TOKEN).</summary>
    public IReadOnlySet<string> ExcludedVariables { get; init; } = Defaults.SecretVariables;

    /// <summary>The child's working directory; null keeps the executor's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where stdout and stderr go.</summary>
    public ProcessOutput Output { get; init; } = ProcessOutput.Discard;

    /// <summary>Launch through <c>setpriv --pdeathsig KILL</c> when available (see <see cref="LaunchMode"/>).</summary>
    public bool ParentDeathSignal { get; init; } = true;

    /// <summary>Clock for start and exit timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary><c>/bin/sh -c <paramref name="command"/></c>, argv[0] "sh", as Mesos runs a shell command.</summary>
    public static ProcessCommand Shell(string command) => new() { Executable = "/bin/sh", Argv = ["sh", "-c", command] };

    /// <summary>
    /// <paramref name="executable"/> with <paramref name="argv"/> (argv[0] included, as Mesos' shell=false
    /// CommandInfo); no argv means just the executable.
    /// </summary>
    public static ProcessCommand Exec(string executable, IReadOnlyList<string>? argv = null) =>
        new() { Executable = executable, Argv = argv is { Count: > 0 } ? argv : [executable] };
}
