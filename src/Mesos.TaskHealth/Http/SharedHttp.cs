namespace Mesos.TaskHealth;

/// <summary>
/// The pooled HTTP clients every HTTP probe shares, so thousands of targets reuse a bounded set of
/// connections instead of opening one per attempt. One validates server certificates, one does not.
/// </summary>
internal static class SharedHttp
{
    private static readonly Lazy<HttpClient> ValidatingClient = new(() => Create(acceptAnyCertificate: false));
    private static readonly Lazy<HttpClient> InsecureClient = new(() => Create(acceptAnyCertificate: true));

    public static HttpClient Get(bool acceptAnyServerCertificate) =>
        acceptAnyServerCertificate ? InsecureClient.Value : ValidatingClient.Value;

    public static SocketsHttpHandler CreateHandler(bool acceptAnyCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are the probe's decision (Mesos follows them, a generic probe judges the 3xx itself).
            AllowAutoRedirect = false,
            UseCookies = false,
            // Probes target tasks on this host or its network: an environment proxy would break them.
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Recycle connections now and then so DNS changes are seen; keep idle ones a while because the
            // usual interval (seconds) is far below this.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        };
        if (acceptAnyCertificate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return handler;
    }

    private static HttpClient Create(bool acceptAnyCertificate) =>
        new(CreateHandler(acceptAnyCertificate), disposeHandler: true)
        {
            // Each attempt is bounded by the policy's timeout through its cancellation token.
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
