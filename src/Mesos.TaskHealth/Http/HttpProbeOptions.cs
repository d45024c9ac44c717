namespace Mesos.TaskHealth;

/// <summary>An HTTP or HTTPS probe: one request, judged by status code and optionally by body.</summary>
public sealed record HttpProbeOptions
{
    /// <summary>The absolute <c>http</c> or <c>https</c> URL to request.</summary>
    public required Uri Url { get; init; }

    /// <summary>The request method; GET unless set.</summary>
    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Accepted status codes; Mesos' 200-399 unless set.</summary>
    public StatusCodeSet AcceptedStatusCodes { get; init; } = StatusCodeSet.MesosDefault;

    /// <summary>
    /// Discard an informational 1xx answer instead of judging it (Marathon's <c>ignoreHttp1xx</c>): the
    /// attempt is <see cref="ProbeOutcome.Ignored"/> and the health state stays as it was.
    /// </summary>
    public bool IgnoreInformational { get; init; }

    /// <summary>Applied to the body once the status code was accepted; none unless set.</summary>
    public BodyCheck? BodyCheck { get; init; }

    /// <summary>Follow 3xx redirects (Mesos does, with <c>curl -L</c>) and judge the final answer.</summary>
    public bool FollowRedirects { get; init; }

    /// <summary>Skip TLS certificate validation (Mesos does, with <c>curl -k</c>).</summary>
    public bool AcceptAnyServerCertificate { get; init; }

    /// <summary>The most body bytes read for the body check; a larger body fails the check.</summary>
    public int MaxBodyBytes { get; init; } = Defaults.MaxBodyBytes;

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"HttpProbeOptions.Url must be an absolute http:// or https:// URL (was '{Url}')", nameof(Url));
        }

        ArgumentNullException.ThrowIfNull(Method, "HttpProbeOptions.Method");
        ArgumentNullException.ThrowIfNull(Headers, "HttpProbeOptions.Headers");
        ArgumentNullException.ThrowIfNull(AcceptedStatusCodes, "HttpProbeOptions.AcceptedStatusCodes");
        if (MaxBodyBytes < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxBodyBytes), MaxBodyBytes, "HttpProbeOptions.MaxBodyBytes must not be negative");
        }
    }
}
