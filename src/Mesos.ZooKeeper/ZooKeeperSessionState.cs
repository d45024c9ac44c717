namespace Mesos.ZooKeeper;

/// <summary>Where the client's session stands.</summary>
public enum ZooKeeperSessionState
{
    /// <summary>Looking for a server; no session yet.</summary>
    Connecting,

    /// <summary>Connected to a server with a live session; calls go through.</summary>
    Connected,

    /// <summary>The connection dropped; the client is reconnecting to resume the same session. Calls wait.</summary>
    Disconnected,

    /// <summary>The server declared the session expired. Terminal: every call fails with <see cref="SessionExpiredException"/>.</summary>
    Expired,

    /// <summary>The client was disposed (the session was closed). Terminal.</summary>
    Closed,
}

/// <summary>A session state change, passed to <see cref="ZooKeeperClientOptions.OnSessionStateChanged"/>.</summary>
/// <param name="State">The new state.</param>
/// <param name="SessionId">The session's id (0 before the first connect).</param>
/// <param name="Server">The server now connected to, for <see cref="ZooKeeperSessionState.Connected"/>.</param>
public sealed record ZooKeeperSessionStateChange(ZooKeeperSessionState State, long SessionId, ZooKeeperServer? Server);
