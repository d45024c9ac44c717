namespace Mesos.TaskHealth;

/// <summary>Why a probe attempt failed, so callers can report or act on the reason.</summary>
public enum ProbeFailureKind
{
    /// <summary>Not a failure.</summary>
    None,

    /// <summary>An HTTP status code outside the accepted set.</summary>
    StatusCode,

    /// <summary>The HTTP body failed the body check.</summary>
    BodyMismatch,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>Nothing listens on the port (connection refused).</summary>
    ConnectionRefused,

    /// <summary>The peer closed or reset the connection before a complete answer.</summary>
    ConnectionClosed,

    /// <summary>Any other network error (unreachable host, name resolution, TLS handshake).</summary>
    Network,

    /// <summary>A command exited with a non-zero code.</summary>
    ExitCode,

    /// <summary>The probe itself could not run (for example, a command that cannot be started).</summary>
    Error,
}
