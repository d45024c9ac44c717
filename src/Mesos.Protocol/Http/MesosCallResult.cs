using System.Net;

namespace Mesos.Protocol.Http;

/// <summary>A call's successful answer: 202 Accepted (no body) or 200 OK with the body some calls return.</summary>
public sealed record MesosCallResult(HttpStatusCode StatusCode, byte[] Body, string? ContentType);
