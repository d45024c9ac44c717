namespace Mesos.Scheduler.Lite;

/// <summary>One thing to place on an offer: a task, a task group, or anything else that needs resources.</summary>
public sealed record LaunchRequest
{
    /// <summary>The caller's key for this request (e.g. the task id to be).</summary>
    public required string Id { get; init; }

    /// <summary>Resources for the task itself (for a task group: the sum of its members).</summary>
    public required ResourceRequirements Resources { get; init; }

    /// <summary>The executor the task runs under, when it is not already running on the agent its resources are added once per agent.</summary>
    public ExecutorID? ExecutorId { get; init; }

    public ResourceRequirements? ExecutorResources { get; init; }

    /// <summary>Only place on offers allocated to this role (null: any of the matcher's roles).</summary>
    public string? Role { get; init; }

    /// <summary>The caller's own object, handed back in the <see cref="Placement"/>.</summary>
    public object? Tag { get; init; }
}

/// <summary>Where a request landed: the exact resources (copied from the offer, with role, reservation and allocation info) it uses.</summary>
public sealed record Placement(
    LaunchRequest Request,
    IReadOnlyList<V1.Resource> TaskResources,
    IReadOnlyList<V1.Resource> ExecutorResources,
    IReadOnlyList<ulong> Ports);

/// <summary>One ACCEPT worth of work: every offer of one agent (and one allocation role) and what goes on it.</summary>
public sealed record AgentLaunch(AgentID AgentId, string Hostname, string? Role, IReadOnlyList<OfferID> OfferIds, IReadOnlyList<Placement> Placements);

/// <summary>The outcome of <see cref="OfferMatcher.Match"/>.</summary>
public sealed record OfferMatchResult(IReadOnlyList<AgentLaunch> Launches, IReadOnlyList<OfferID> UnusedOfferIds, IReadOnlyList<LaunchRequest> Unplaced);

/// <summary>How offers are matched.</summary>
public sealed record OfferMatcherOptions
{
    public static OfferMatcherOptions Default { get; } = new();

    /// <summary>The framework's roles; offers allocated to other roles are left unused. Empty accepts any.</summary>
    public IReadOnlyCollection<string> Roles { get; init; } = [];

    /// <summary>Use all offers of one agent together in one ACCEPT (mesoshttp <c>combine_offers</c>); false matches each offer alone.</summary>
    public bool CombineOffersPerAgent { get; init; } = true;

    /// <summary>Use revocable resources too.</summary>
    public bool AcceptRevocable { get; init; }
}
