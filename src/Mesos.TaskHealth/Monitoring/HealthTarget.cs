namespace Mesos.TaskHealth;

/// <summary>What to probe, named, with the policy that judges it.</summary>
public sealed record HealthTarget(string Name, IHealthProbe Probe, HealthPolicy Policy)
{
    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("HealthTarget.Name must not be empty", nameof(Name));
        }

        ArgumentNullException.ThrowIfNull(Probe, "HealthTarget.Probe");
        ArgumentNullException.ThrowIfNull(Policy, "HealthTarget.Policy");
        Policy.Validate();
    }
}
