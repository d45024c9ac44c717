using Call = Mesos.V1.Executor.Call;

namespace Mesos.Testing.Agent;

/// <summary>One request the fake agent received and how it answered.</summary>
/// <param name="Timestamp"><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the request's body was read.</param>
/// <param name="Call">The decoded call, or null when it could not be decoded.</param>
/// <param name="StatusCode">The answer's status.</param>
/// <param name="ResponseBody">The answer's text (empty for 200/202).</param>
public sealed record ReceivedCall(
    long Timestamp,
    string Method,
    string? ContentType,
    string? Accept,
    string? Authorization,
    byte[] Body,
    Call? Call,
    int StatusCode,
    string ResponseBody)
{
    /// <summary>The server's name for the connection the request came on (the same for requests on one connection).</summary>
    public string? ConnectionId { get; init; }
}
