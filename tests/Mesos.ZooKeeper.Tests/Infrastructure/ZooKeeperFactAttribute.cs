namespace Mesos.ZooKeeper.Tests.Infrastructure;

/// <summary>
/// A fact that needs a real ZooKeeper server. xUnit 2 has no dynamic skip, so the skip reason is
/// computed here: skipped with the reason when no server can be had on this machine, except under
/// <c>CI=true</c>, where the test runs and fails with that reason instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ZooKeeperFactAttribute : FactAttribute
{
    /// <summary>The test starts (and restarts) a server of its own, so it needs the package even when ZOOKEEPER_CONNECT is set.</summary>
    public bool NeedsLocalServer { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? ZooKeeperTestServer.SkipReason(NeedsLocalServer);
        set => base.Skip = value;
    }
}
