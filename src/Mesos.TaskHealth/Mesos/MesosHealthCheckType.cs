namespace Mesos.TaskHealth;

/// <summary>The kinds of Mesos <c>HealthCheck.type</c> this engine runs.</summary>
public enum MesosHealthCheckType
{
    /// <summary><c>COMMAND</c>: a command that must exit 0.</summary>
    Command,

    /// <summary><c>HTTP</c>: a GET whose final status (after redirects) must be 200-399; the scheme may be https.</summary>
    Http,

    /// <summary><c>TCP</c>: a connection that must be accepted.</summary>
    Tcp,
}
