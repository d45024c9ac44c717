using Mesos.TaskHealth;
using HealthCheck = Mesos.V1.HealthCheck;

namespace Mesos.Executor.Runner.Execution;

/// <summary>Maps a task's <c>HealthCheck</c> onto the TaskHealth engine, with Mesos' own defaults and semantics.</summary>
internal static class HealthCheckMapping
{
    /// <exception cref="ArgumentException">The health check cannot be run; the message says why.</exception>
    public static MesosHealthCheckOptions ToOptions(HealthCheck check, string sandbox)
    {
        // The proto2 defaults (15 s, 10 s, 20 s, 3, 10 s) are what the getters return when a field is unset.
        var options = check.Type switch
        {
            HealthCheck.Types.Type.Http when check.Http is { } http => new MesosHealthCheckOptions
            {
                Type = MesosHealthCheckType.Http,
                Port = (int)http.Port,
                Scheme = http.HasScheme && http.Scheme.Length > 0 ? http.Scheme : "http",
                Path = http.Path,
                Host = IsIPv6(http.Protocol) ? "::1" : "127.0.0.1",
            },
            HealthCheck.Types.Type.Tcp when check.Tcp is { } tcp => new MesosHealthCheckOptions
            {
                Type = MesosHealthCheckType.Tcp,
                Port = (int)tcp.Port,
                Host = IsIPv6(tcp.Protocol) ? "::1" : "127.0.0.1",
            },
            HealthCheck.Types.Type.Command when check.Command is { } command => new MesosHealthCheckOptions
            {
                Type = MesosHealthCheckType.Command,
                Command = new CommandProbeOptions
                {
                    Command = command.Shell ? command.Value : (command.HasValue ? command.Value : command.Arguments.FirstOrDefault() ?? string.Empty),
                    Shell = command.Shell,
                    Arguments = command.Shell ? [] : [.. command.Arguments.Skip(1)],
                    Environment = (command.Environment?.Variables ?? []).ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
                    WorkingDirectory = sandbox,
                },
            },
            _ => throw new ArgumentException(
                $"health_check of type {check.Type} has no matching '{check.Type.ToString().ToLowerInvariant()}' section; " +
                "set type to HTTP, TCP or COMMAND with its section"),
        };

        options = options with
        {
            Delay = Seconds(check.DelaySeconds),
            Interval = Seconds(check.IntervalSeconds),
            Timeout = Seconds(check.TimeoutSeconds),
            ConsecutiveFailures = (int)check.ConsecutiveFailures,
            GracePeriod = Seconds(check.GracePeriodSeconds),
        };
        options.Validate();
        return options;
    }

    private static bool IsIPv6(Mesos.V1.NetworkInfo.Types.Protocol protocol) => protocol == Mesos.V1.NetworkInfo.Types.Protocol.Ipv6;

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds));
}
