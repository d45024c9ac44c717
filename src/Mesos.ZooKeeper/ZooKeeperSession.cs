namespace Mesos.ZooKeeper;

/// <summary>
/// What identifies a ZooKeeper session: pass it back in <see cref="ZooKeeperClientOptions.Session"/>
/// to resume the session from another client (for example after a process restart within the session
/// timeout). The password is a secret: do not log it.
/// </summary>
public sealed record ZooKeeperSession(long Id, ReadOnlyMemory<byte> Password)
{
    /// <summary>Only the id: the password stays out of logs.</summary>
    public override string ToString() => $"0x{Id:x}";
}
