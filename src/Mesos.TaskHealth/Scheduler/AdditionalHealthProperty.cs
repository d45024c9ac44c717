namespace Mesos.TaskHealth;

/// <summary>
/// An extra boolean task property the taskHealthHelper keeps in step with health (the seed's
/// <c>additionalProperties</c> entries), named without the prefix, e.g. <c>leader</c>.
/// </summary>
/// <param name="Name">The property name (not prefixed).</param>
/// <param name="SetUnhealthy">Also set the property when the task is marked unhealthy; otherwise it is only set on success.</param>
/// <param name="Inverse">Store the opposite of health: false when healthy, true when unhealthy.</param>
public sealed record AdditionalHealthProperty(string Name, bool SetUnhealthy = false, bool Inverse = false);
