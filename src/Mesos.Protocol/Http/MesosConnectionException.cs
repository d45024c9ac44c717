namespace Mesos.Protocol.Http;

/// <summary>The endpoint could not be reached or the connection broke (refused, reset, timed out): worth retrying later.</summary>
public sealed class MesosConnectionException : IOException
{
    public MesosConnectionException(Uri endpoint, string call, Exception innerException)
        : base($"{call} to {endpoint} failed: {innerException.Message}", innerException)
    {
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
}
