namespace Mesos.Testing.Agent;

/// <summary>How the fake agent starts an executor process.</summary>
public sealed record ExecutorProcessOptions
{
    /// <summary>The program (an absolute path, as the agent runs the fetched file from the sandbox).</summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// The ExecutorInfo's <c>command.environment</c> variables: the only variables besides MESOS_*, LIBPROCESS_* and
    /// PATH that the agent passes.
    /// </summary>
    public IReadOnlyDictionary<string, string> CommandEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the sandbox directories are made; a fresh temporary directory by default.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>
    /// The exact sandbox to run in (created if missing), instead of a fresh one under <see cref="WorkDirectory"/>: for a
    /// caller that fetched the executor's URIs into it first, as the agent's fetcher does.
    /// </summary>
    public string? SandboxDirectory { get; init; }

    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan SubscriptionBackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>MESOS_EXECUTOR_AUTHENTICATION_TOKEN; defaults to the agent's <see cref="FakeAgentOptions.RequiredToken"/>.</summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>The agent's <c>--executor_registration_timeout</c>: SUBSCRIBE must arrive within it (1 minute upstream).</summary>
    public TimeSpan RegistrationTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The PATH the agent sets when the executor's environment has none (os::host_default_path()).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
