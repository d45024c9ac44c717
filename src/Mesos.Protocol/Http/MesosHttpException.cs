using System.Net;

namespace Mesos.Protocol.Http;

/// <summary>Mesos answered a call with a status other than the expected one; carries the status and Mesos' own text.</summary>
public sealed class MesosHttpException : Exception
{
    public MesosHttpException(Uri endpoint, string call, HttpStatusCode statusCode, string body, Uri? redirectLocation)
        : base(Describe(endpoint, call, statusCode, body, redirectLocation))
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        Body = body;
        RedirectLocation = redirectLocation;
    }

    public Uri Endpoint { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The answer's body: Mesos explains a 4xx in plain text, e.g. "Executor is not subscribed".</summary>
    public string Body { get; }

    /// <summary>For 307 from a master that is not the leader: the leader's API URL, made absolute with the request's scheme.</summary>
    public Uri? RedirectLocation { get; }

    private static string Describe(Uri endpoint, string call, HttpStatusCode statusCode, string body, Uri? redirect)
    {
        var text = $"{call} to {endpoint} was answered {(int)statusCode} {statusCode}";
        if (redirect is not null)
        {
            text += $" (leader at {redirect})";
        }

        return body.Length == 0 ? text : $"{text}: {body}";
    }
}
