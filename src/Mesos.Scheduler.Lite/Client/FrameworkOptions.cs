namespace Mesos.Scheduler.Lite;

/// <summary>The FrameworkInfo a scheduler subscribes with.</summary>
public sealed record FrameworkOptions
{
    /// <summary>The user tasks run as (must exist on the agents). mesoshttp <c>frameworkUser</c>, mesos-framework <c>user</c>.</summary>
    public string User { get; init; } = Defaults.User;

    /// <summary>mesoshttp <c>frameworkName</c>, mesos-framework <c>frameworkName</c>.</summary>
    public string Name { get; init; } = Defaults.FrameworkName;

    /// <summary>An existing framework id to re-subscribe as (failover); null registers a new framework.</summary>
    public string? FrameworkId { get; init; }

    /// <summary>The roles to subscribe with (the MULTI_ROLE capability is added). Empty means the default role <c>*</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>How long the master keeps the tasks after the scheduler disconnects. Mesos defaults to 0; we default to one week.</summary>
    public TimeSpan FailoverTimeout { get; init; } = Defaults.FailoverTimeout;

    /// <summary>Agents checkpoint the framework's tasks so they survive an agent restart (on by default).</summary>
    public bool Checkpoint { get; init; } = true;

    /// <summary>Capabilities besides MULTI_ROLE (added when <see cref="Roles"/> is set) and TASK_KILLING_STATE (always).</summary>
    public IReadOnlyList<V1.FrameworkInfo.Types.Capability.Types.Type> Capabilities { get; init; } = [];

    public string? Hostname { get; init; }

    public string? WebUiUrl { get; init; }

    /// <summary>The principal; set it when the master authenticates frameworks (it must match the credentials' principal).</summary>
    public string? Principal { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds the FrameworkInfo for SUBSCRIBE, with <paramref name="frameworkId"/> when re-subscribing.</summary>
    public V1.FrameworkInfo ToFrameworkInfo(FrameworkID? frameworkId)
    {
        var info = new V1.FrameworkInfo
        {
            User = User,
            Name = Name,
            FailoverTimeout = FailoverTimeout.TotalSeconds,
            Checkpoint = Checkpoint,
        };
        if (frameworkId is not null)
        {
            info.Id = frameworkId.Clone();
        }

        var capabilities = new List<V1.FrameworkInfo.Types.Capability.Types.Type> { V1.FrameworkInfo.Types.Capability.Types.Type.TaskKillingState };
        if (Roles.Count > 0)
        {
            info.Roles.AddRange(Roles);
            capabilities.Add(V1.FrameworkInfo.Types.Capability.Types.Type.MultiRole);
        }

        capabilities.AddRange(Capabilities);
        foreach (var capability in capabilities.Distinct())
        {
            info.Capabilities.Add(new V1.FrameworkInfo.Types.Capability { Type = capability });
        }

        if (!string.IsNullOrEmpty(Hostname))
        {
            info.Hostname = Hostname;
        }

        if (!string.IsNullOrEmpty(WebUiUrl))
        {
            info.WebuiUrl = WebUiUrl;
        }

        if (!string.IsNullOrEmpty(Principal))
        {
            info.Principal = Principal;
        }

        if (Labels.Count > 0)
        {
            info.Labels = new V1.Labels();
            info.Labels.Labels_.AddRange(Labels.Select(l => new V1.Label { Key = l.Key, Value = l.Value }));
        }

        return info;
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(User))
        {
            throw new ArgumentException("FrameworkOptions.User must name the user tasks run as, e.g. \"root\" or \"nobody\"", nameof(User));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("FrameworkOptions.Name must not be empty", nameof(Name));
        }

        if (FailoverTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FailoverTimeout), FailoverTimeout, "FrameworkOptions.FailoverTimeout must not be negative");
        }
    }
}
