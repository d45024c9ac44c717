namespace Mesos.Testing.Master;

/// <summary>A simulated agent: its id, hostname and total resources; the master offers what is free.</summary>
public sealed class FakeAgent
{
    internal FakeAgent(string id, string hostname, int port, IReadOnlyList<Mesos.V1.Resource> total)
    {
        Id = id;
        Hostname = hostname;
        Port = port;
        Total = total;
        Free = total.Select(r => r.Clone()).ToList();
    }

    public string Id { get; }

    public string Hostname { get; }

    public int Port { get; }

    /// <summary>Everything the agent has, as Mesos would describe it (role <c>*</c> for unreserved).</summary>
    public IReadOnlyList<Mesos.V1.Resource> Total { get; }

    /// <summary>Neither offered nor used. Guarded by the master's lock.</summary>
    internal List<Mesos.V1.Resource> Free { get; }
}
