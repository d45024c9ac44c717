using System.Collections;
using System.Text;
using Mesos.Protocol.Encoding;

namespace Mesos.Executor.Configuration;

/// <summary>
/// Everything an executor needs to know about its agent, as the agent passes it in the environment
/// (<see cref="FromEnvironment()"/>), or built in code for tests and embedded use.
/// </summary>
public sealed record ExecutorSettings
{
    /// <summary>MESOS_FRAMEWORK_ID.</summary>
    public required string FrameworkId { get; init; }

    /// <summary>MESOS_EXECUTOR_ID.</summary>
    public required string ExecutorId { get; init; }

    /// <summary>The executor API URL, <c>http://&lt;MESOS_AGENT_ENDPOINT&gt;/api/v1/executor</c>.</summary>
    public required Uri AgentEndpoint { get; init; }

    /// <summary>MESOS_DIRECTORY: the sandbox as the agent sees it.</summary>
    public required string Directory { get; init; }

    /// <summary>MESOS_SANDBOX: the sandbox as the executor sees it (inside a container image); defaults to <see cref="Directory"/>.</summary>
    public string? Sandbox { get; init; }

    /// <summary>The sandbox to use: <see cref="Sandbox"/>, else <see cref="Directory"/>.</summary>
    public string SandboxDirectory => Sandbox ?? Directory;

    /// <summary>MESOS_SLAVE_ID.</summary>
    public string? AgentId { get; init; }

    /// <summary>MESOS_CHECKPOINT: with it, a lost agent connection is retried until <see cref="RecoveryTimeout"/>; without, it ends the executor.</summary>
    public bool Checkpoint { get; init; }

    /// <summary>MESOS_RECOVERY_TIMEOUT: how long to keep trying to reach the agent after the first disconnection.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = Defaults.RecoveryTimeout;

    /// <summary>MESOS_SUBSCRIPTION_BACKOFF_MAX: re-SUBSCRIBE attempts wait a random time between zero and this.</summary>
    public TimeSpan SubscriptionBackoffMax { get; init; } = Defaults.SubscriptionBackoffMax;

    /// <summary>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: after SHUTDOWN, the agent kills the executor once this has passed.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = Defaults.ShutdownGracePeriod;

    /// <summary>MESOS_EXECUTOR_AUTHENTICATION_TOKEN: sent as <c>Authorization: Bearer</c> on every request. Never logged or printed.</summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>MESOS_DOMAIN_SOCKET: talk HTTP to the agent over this Unix domain socket.</summary>
    public string? DomainSocket { get; init; }

    /// <summary>MESOS_HTTP_COMMAND_EXECUTOR: the agent launched this as its command executor.</summary>
    public bool HttpCommandExecutor { get; init; }

    /// <summary>The encoding of calls and events. Protobuf is smaller and cheaper; JSON is readable on the wire.</summary>
    public MesosEncoding Encoding { get; init; } = MesosEncoding.Protobuf;

    /// <summary>Reads the settings from this process's environment.</summary>
    /// <exception cref="ExecutorConfigurationException">Lists every missing or malformed variable.</exception>
    public static ExecutorSettings FromEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        return FromEnvironment(environment);
    }

    /// <summary>Reads the settings from <paramref name="environment"/> (variable name to value).</summary>
    /// <exception cref="ExecutorConfigurationException">Lists every missing or malformed variable.</exception>
    public static ExecutorSettings FromEnvironment(IDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();

        string? Get(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        string Required(string name, string what)
        {
            var value = Get(name);
            if (value is null)
            {
                problems.Add($"{name} is not set; it is {what}");
            }

            return value ?? string.Empty;
        }

        bool Flag(string name)
        {
            var value = Get(name);
            switch (value)
            {
                case null or "0" or "false":
                    return false;
                case "1" or "true":
                    return true;
                default:
                    problems.Add($"{name} is '{value}'; expected 1 or 0");
                    return false;
            }
        }

        TimeSpan Duration(string name, TimeSpan fallback)
        {
            var value = Get(name);
            if (value is null)
            {
                return fallback;
            }

            if (MesosDuration.TryParse(value, out var duration, out var error))
            {
                return duration;
            }

            problems.Add($"{name} {error}; expected a Mesos duration such as 5secs, 250ms or 15mins");
            return fallback;
        }

        var frameworkId = Required("MESOS_FRAMEWORK_ID", "the framework's id");
        var executorId = Required("MESOS_EXECUTOR_ID", "this executor's id");
        var directory = Required("MESOS_DIRECTORY", "the executor's sandbox directory");
        var endpointText = Required("MESOS_AGENT_ENDPOINT", "the agent's ip:port");
        var ssl = Get("LIBPROCESS_SSL_ENABLED") is "1" or "true";
        Uri? endpoint = null;
        if (endpointText.Length > 0 && !TryParseEndpoint(endpointText, ssl, out endpoint))
        {
            problems.Add($"MESOS_AGENT_ENDPOINT is '{endpointText}'; expected the agent's ip:port, e.g. 10.0.0.5:5051");
        }

        var checkpoint = Flag("MESOS_CHECKPOINT");
        var settings = new ExecutorSettings
        {
            FrameworkId = frameworkId,
            ExecutorId = executorId,
            Directory = directory,
            AgentEndpoint = endpoint ?? new Uri("http://invalid" + Defaults.ExecutorApiPath),
            Sandbox = Get("MESOS_SANDBOX"),
            AgentId = Get("MESOS_SLAVE_ID"),
            Checkpoint = checkpoint,
            RecoveryTimeout = Duration("MESOS_RECOVERY_TIMEOUT", Defaults.RecoveryTimeout),
            SubscriptionBackoffMax = Duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", Defaults.SubscriptionBackoffMax),
            ShutdownGracePeriod = Duration("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Defaults.ShutdownGracePeriod),
            AuthenticationToken = Get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"),
            DomainSocket = Get("MESOS_DOMAIN_SOCKET"),
            HttpCommandExecutor = Flag("MESOS_HTTP_COMMAND_EXECUTOR"),
        };

        if (problems.Count > 0)
        {
            throw new ExecutorConfigurationException(problems);
        }

        settings.Validate();
        return settings;
    }

    /// <summary>The environment variables an agent would set for these settings (the inverse of <see cref="FromEnvironment(IDictionary{string, string})"/>).</summary>
    public IDictionary<string, string> ToEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MESOS_FRAMEWORK_ID"] = FrameworkId,
            ["MESOS_EXECUTOR_ID"] = ExecutorId,
            ["MESOS_DIRECTORY"] = Directory,
            ["MESOS_AGENT_ENDPOINT"] = AgentEndpoint.Authority,
            ["MESOS_CHECKPOINT"] = Checkpoint ? "1" : "0",
            ["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = MesosDuration.Format(ShutdownGracePeriod),
            ["MESOS_HTTP_COMMAND_EXECUTOR"] = HttpCommandExecutor ? "1" : "0",
        };
        if (Checkpoint)
        {
            environment["MESOS_RECOVERY_TIMEOUT"] = MesosDuration.Format(RecoveryTimeout);
            environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = MesosDuration.Format(SubscriptionBackoffMax);
        }

        if (Sandbox is not null)
        {
            environment["MESOS_SANDBOX"] = Sandbox;
        }

        if (AgentId is not null)
        {
            environment["MESOS_SLAVE_ID"] = AgentId;
        }

        if (AuthenticationToken is not null)
        {
            environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = AuthenticationToken;
        }

        if (DomainSocket is not null)
        {
            environment["MESOS_DOMAIN_SOCKET"] = DomainSocket;
        }

        return environment;
    }

    /// <summary>Checks settings built in code the way <see cref="FromEnvironment()"/> checks the environment.</summary>
    /// <exception cref="ExecutorConfigurationException">Lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(FrameworkId))
        {
            problems.Add("FrameworkId (MESOS_FRAMEWORK_ID) is empty");
        }

        if (string.IsNullOrWhiteSpace(ExecutorId))
        {
            problems.Add("ExecutorId (MESOS_EXECUTOR_ID) is empty");
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            problems.Add("Directory (MESOS_DIRECTORY) is empty");
        }

        if (AgentEndpoint is null || !AgentEndpoint.IsAbsoluteUri || (AgentEndpoint.Scheme != Uri.UriSchemeHttp && AgentEndpoint.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"AgentEndpoint (MESOS_AGENT_ENDPOINT) '{AgentEndpoint}' is not an absolute http(s) URL");
        }

        if (RecoveryTimeout <= TimeSpan.Zero)
        {
            problems.Add($"RecoveryTimeout (MESOS_RECOVERY_TIMEOUT) must be positive, got {RecoveryTimeout}");
        }

        if (SubscriptionBackoffMax < TimeSpan.Zero)
        {
            problems.Add($"SubscriptionBackoffMax (MESOS_SUBSCRIPTION_BACKOFF_MAX) must not be negative, got {SubscriptionBackoffMax}");
        }

        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            problems.Add($"ShutdownGracePeriod (MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD) must not be negative, got {ShutdownGracePeriod}");
        }

        if (problems.Count > 0)
        {
            throw new ExecutorConfigurationException(problems);
        }
    }

    private static bool TryParseEndpoint(string text, bool ssl, out Uri? endpoint)
    {
        endpoint = null;
        var scheme = ssl ? "https" : "http";
        if (!Uri.TryCreate($"{scheme}://{text}{Defaults.ExecutorApiPath}", UriKind.Absolute, out var uri)
            || uri.IsDefaultPort && !text.Contains(':', StringComparison.Ordinal)
            || uri.AbsolutePath != Defaults.ExecutorApiPath
            || uri.Host.Length == 0)
        {
            return false;
        }

        endpoint = uri;
        return true;
    }

    // The record's generated ToString would print the token.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"FrameworkId = {FrameworkId}, ExecutorId = {ExecutorId}, AgentEndpoint = {AgentEndpoint}, ");
        builder.Append($"Directory = {Directory}, Sandbox = {SandboxDirectory}, AgentId = {AgentId}, Checkpoint = {Checkpoint}, ");
        builder.Append($"RecoveryTimeout = {RecoveryTimeout}, SubscriptionBackoffMax = {SubscriptionBackoffMax}, ");
        builder.Append($"ShutdownGracePeriod = {ShutdownGracePeriod}, AuthenticationToken = {(AuthenticationToken is null ? "(none)" : "(set)")}, ");
        builder.Append($"DomainSocket = {DomainSocket}, HttpCommandExecutor = {HttpCommandExecutor}, Encoding = {Encoding}");
        return true;
    }
}
