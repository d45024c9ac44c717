using System.Text.RegularExpressions;

namespace Mesos.TaskHealth.Sidecar;

/// <summary>Turns configuration into engine targets, naming the setting whenever something is wrong.</summary>
internal static class TargetFactory
{
    public static IReadOnlyList<HealthTarget> Create(SidecarConfig config)
    {
        var targets = new List<HealthTarget>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Targets.Count; i++)
        {
            var target = config.Targets[i];
            var kinds = (target.Http is null ? 0 : 1) + (target.Tcp is null ? 0 : 1) + (target.Command is null ? 0 : 1);
            if (kinds != 1)
            {
                throw new ConfigException($"targets[{i}] must have exactly one of http, tcp or command");
            }

            var kind = target.Http is not null ? "http" : target.Tcp is not null ? "tcp" : "command";
            var name = target.Name ?? $"{kind}-{i + 1}";
            if (!names.Add(name))
            {
                throw new ConfigException($"targets[{i}].name '{name}' is used twice; names must be unique");
            }

            try
            {
                var probe = target.Http is { } http ? Http(http, $"targets[{i}].http")
                    : target.Tcp is { } tcp ? HealthProbes.Tcp(tcp.Host ?? "", tcp.Port)
                    : Command(target.Command!, $"targets[{i}].command");
                var policy = Policy(target.Policy, $"targets[{i}].policy");
                var healthTarget = new HealthTarget(name, probe, policy);
                healthTarget.Validate();
                targets.Add(healthTarget);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
            {
                throw new ConfigException($"targets[{i}] ({name}): {ex.Message}");
            }
        }

        return targets;
    }

    private static IHealthProbe Http(HttpTargetConfig http, string at)
    {
        if (!Uri.TryCreate(http.Url, UriKind.Absolute, out var url))
        {
            throw new ConfigException($"{at}.url '{http.Url}' is not an absolute http:// or https:// URL");
        }

        BodyCheck? body = null;
        if (http.BodyContains is { } text)
        {
            body = BodyCheck.Contains(text);
        }
        else if (http.BodyRegex is { } regex)
        {
            body = BodyCheck.Matches(new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        else if (http.BodyJson is { } json)
        {
            body = BodyCheck.JsonValue(
                json.Path ?? throw new ConfigException($"{at}.bodyJson.path is missing"),
                json.Value ?? throw new ConfigException($"{at}.bodyJson.value is missing"));
        }

        return HealthProbes.Http(new HttpProbeOptions
        {
            Url = url,
            Method = http.Method is { } method ? new HttpMethod(method.ToUpperInvariant()) : HttpMethod.Get,
            Headers = http.Headers ?? [],
            AcceptedStatusCodes = http.StatusCodes is { } codes ? StatusCodeSet.Parse(codes) : StatusCodeSet.MesosDefault,
            IgnoreInformational = http.Ignore1xx,
            FollowRedirects = http.FollowRedirects,
            AcceptAnyServerCertificate = http.Insecure,
            BodyCheck = body,
        });
    }

    private static IHealthProbe Command(CommandTargetConfig command, string at)
    {
        if (command.Shell is not null == command.Argv is { Count: > 0 })
        {
            throw new ConfigException($"{at} must have exactly one of shell (a command line) or argv (a program and its arguments)");
        }

        return HealthProbes.Command(command.Shell is { } shell
            ? new CommandProbeOptions { Command = shell, Environment = command.Environment ?? [] }
            : new CommandProbeOptions
            {
                Command = command.Argv![0],
                Shell = false,
                Arguments = command.Argv.Skip(1).ToList(),
                Environment = command.Environment ?? [],
            });
    }

    private static HealthPolicy Policy(PolicyConfig? config, string at)
    {
        var policy = new HealthPolicy();
        if (config is null)
        {
            return policy;
        }

        return policy with
        {
            InitialDelay = config.Delay is { } delay ? DurationText.Parse(delay, $"{at}.delay") : policy.InitialDelay,
            Interval = config.Interval is { } interval ? DurationText.Parse(interval, $"{at}.interval") : policy.Interval,
            Timeout = config.Timeout is { } timeout ? DurationText.Parse(timeout, $"{at}.timeout") : policy.Timeout,
            GracePeriod = config.GracePeriod is { } grace ? DurationText.Parse(grace, $"{at}.gracePeriod") : policy.GracePeriod,
            ConsecutiveFailures = config.ConsecutiveFailures ?? policy.ConsecutiveFailures,
            SuccessesBeforeHealthy = config.SuccessesBeforeHealthy ?? policy.SuccessesBeforeHealthy,
        };
    }
}
