using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesos.TaskHealth;

/// <summary>One HTTP(S) request per attempt through a shared pooled client.</summary>
internal sealed class HttpProbe : IHealthProbe
{
    private readonly HttpProbeOptions _options;
    private readonly HttpClient _client;

    public HttpProbe(HttpProbeOptions options, HttpClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = client ?? SharedHttp.Get(options.AcceptAnyServerCertificate);
    }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var url = _options.Url;
        var method = _options.Method;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(method, url);
            foreach (var (name, value) in _options.Headers)
            {
                if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Host = value;
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await _client
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return Classify(ex, url);
            }

            using (response)
            {
                var code = (int)response.StatusCode;
                if (_options.FollowRedirects && code is >= 300 and <= 399 && response.Headers.Location is { } location)
                {
                    if (redirects >= Defaults.MaxRedirects)
                    {
                        return ProbeResult.Unhealthy(
                            ProbeFailureKind.StatusCode,
                            $"more than {Defaults.MaxRedirects} redirects, last HTTP {code} from {url}") with { StatusCode = code };
                    }

                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (code == 303 && method != HttpMethod.Head)
                    {
                        method = HttpMethod.Get;
                    }

                    continue;
                }

                return await JudgeAsync(response, code, url, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The status-code part of the verdict, without the body (null: the body decides).</summary>
    internal static ProbeResult? JudgeStatus(int code, Uri url, StatusCodeSet accepted, bool ignoreInformational)
    {
        if (code is >= 100 and <= 199 && ignoreInformational)
        {
            return ProbeResult.Ignored($"HTTP {code} from {url} is informational and ignored") with { StatusCode = code };
        }

        if (!accepted.Contains(code))
        {
            return ProbeResult.Unhealthy(ProbeFailureKind.StatusCode, $"HTTP {code} from {url} is not in {accepted}")
                with { StatusCode = code };
        }

        return null;
    }

    private async ValueTask<ProbeResult> JudgeAsync(
        HttpResponseMessage response, int code, Uri url, CancellationToken cancellationToken)
    {
        if (JudgeStatus(code, url, _options.AcceptedStatusCodes, _options.IgnoreInformational) is { } verdict)
        {
            return verdict;
        }

        if (_options.BodyCheck is { } check)
        {
            string body;
            try
            {
                var read = await ReadBodyAsync(response.Content, _options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
                if (read is null)
                {
                    return ProbeResult.Unhealthy(
                        ProbeFailureKind.BodyMismatch,
                        $"body from {url} is larger than {_options.MaxBodyBytes} bytes; {check.Description} not checked")
                        with { StatusCode = code };
                }

                body = read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                return ProbeResult.Unhealthy(
                    ProbeFailureKind.ConnectionClosed, $"connection closed while reading the body from {url}: {ex.Message}")
                    with { StatusCode = code };
            }

            if (check.Evaluate(body) is { } mismatch)
            {
                return ProbeResult.Unhealthy(ProbeFailureKind.BodyMismatch, $"HTTP {code} from {url}, but {mismatch}")
                    with { StatusCode = code };
            }
        }

        return ProbeResult.Healthy($"HTTP {code} from {url}") with { StatusCode = code };
    }

    private static async ValueTask<string?> ReadBodyAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[Math.Min(16 * 1024, maxBytes + 1)];
            int n;
            while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, n);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private static ProbeResult Classify(HttpRequestException ex, Uri url)
    {
        var socketError = FindSocketError(ex);
        var kind = socketError switch
        {
            SocketError.ConnectionRefused => ProbeFailureKind.ConnectionRefused,
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => ProbeFailureKind.ConnectionClosed,
            _ => ex.HttpRequestError switch
            {
                HttpRequestError.ResponseEnded => ProbeFailureKind.ConnectionClosed,
                _ => ProbeFailureKind.Network,
            },
        };
        var what = kind switch
        {
            ProbeFailureKind.ConnectionRefused => "connection refused",
            ProbeFailureKind.ConnectionClosed => "connection closed before a complete answer",
            _ => "network error",
        };
        return ProbeResult.Unhealthy(kind, $"{what} from {url}: {Innermost(ex).Message}");
    }

    private static SocketError? FindSocketError(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
