using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;
using Mesos.Protocol.Encoding;

namespace Mesos.Protocol.Http;

/// <summary>
/// Posts Mesos v1 calls to one endpoint. SUBSCRIBE opens a long-lived event stream on a connection of its own with no
/// overall timeout (plain HTTP/1.1 for http and Unix sockets, see <see cref="Http1Subscription"/>; HttpClient for
/// https); every other call goes on other connections and must be answered 202 (or 200 where Mesos answers with a
/// body). Redirects are never followed: a 307 from a non-leading master surfaces as a <see cref="MesosHttpException"/>
/// with the leader's URL, because following it is the scheduler's decision.
/// Reconnection is not this layer's business either: the executor and scheduler state machines own it.
/// </summary>
public sealed class MesosHttpClient : IDisposable
{
    // An error body is for a message; a hostile server must not make us buffer more.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly MesosHttpOptions _options;
    private readonly Lazy<HttpClient> _streamClient;
    private readonly Lazy<HttpClient> _callClient;
    private readonly string _mediaType;

    public MesosHttpClient(MesosHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _mediaType = MesosMediaTypes.Of(options.Encoding);
        // Made on first use: an executor's SUBSCRIBE does not need them (Http1Subscription), and an idle one sends no call.
        _streamClient = new(() => new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan });
        _callClient = new(() =>
        {
            var handler = CreateHandler(options);
            handler.MaxConnectionsPerServer = options.MaxCallConnections;
            return new HttpClient(handler, disposeHandler: true) { Timeout = options.CallTimeout };
        });
    }

    public MesosHttpOptions Options => _options;

    /// <summary>Sends a SUBSCRIBE call and returns once the answer's headers arrived with 200.</summary>
    /// <exception cref="MesosHttpException">Any other status (the body text is kept).</exception>
    /// <exception cref="MesosConnectionException">The endpoint could not be reached.</exception>
    public async Task<MesosEventStream<TEvent>> SubscribeAsync<TEvent>(
        IMessage call, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
        where TEvent : IMessage<TEvent>, new()
    {
        if (_options.UnixSocketPath is not null || _options.Endpoint.Scheme == Uri.UriSchemeHttp)
        {
            return await SubscribeOverHttp1Async<TEvent>(call, headers, cancellationToken).ConfigureAwait(false);
        }

        using var request = await CreateRequestAsync(call, headers, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headersTimeout.CancelAfter(_options.SubscribeTimeout);
            try
            {
                response = await SendAsync(_streamClient.Value, request, static () => "SUBSCRIBE", HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MesosConnectionException(
                    _options.Endpoint, "SUBSCRIBE", new TimeoutException($"no answer within {_options.SubscribeTimeout}", ex));
            }
        }

        try
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await ToExceptionAsync(response, "SUBSCRIBE", cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new MesosEventStream<TEvent>(response, body, _options.Encoding, _options.RecordIO);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<MesosEventStream<TEvent>> SubscribeOverHttp1Async<TEvent>(
        IMessage call, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
        where TEvent : IMessage<TEvent>, new()
    {
        ArgumentNullException.ThrowIfNull(call);
        var body = MesosCodec.Encode(call, _options.Encoding);
        var authorization = _options.Authorization is { } provider ? await provider(cancellationToken).ConfigureAwait(false) : null;
        (HttpStatusCode Status, List<KeyValuePair<string, string>> Headers, Http1BodyStream Body) answer;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headersTimeout.CancelAfter(_options.SubscribeTimeout);
            try
            {
                answer = await Http1Subscription.SendAsync(_options, _mediaType, body, headers, authorization, headersTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MesosConnectionException(
                    _options.Endpoint, "SUBSCRIBE", new TimeoutException($"no answer within {_options.SubscribeTimeout}", ex));
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
                throw new MesosConnectionException(_options.Endpoint, "SUBSCRIBE", ex);
            }
        }

        var response = new HttpResponseMessage(answer.Status)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint),
            Content = new ByteArrayContent([]),
        };
        try
        {
            foreach (var (name, value) in answer.Headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    response.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (answer.Status != HttpStatusCode.OK)
            {
                throw await ToExceptionAsync(response, "SUBSCRIBE", cancellationToken, answer.Body).ConfigureAwait(false);
            }

            return new MesosEventStream<TEvent>(response, answer.Body, _options.Encoding, _options.RecordIO);
        }
        catch
        {
            await answer.Body.DisposeAsync().ConfigureAwait(false);
            response.Dispose();
            throw;
        }
    }

    /// <summary>Sends any other call; returns the answer's status and body once it is 202 Accepted or 200 OK.</summary>
    /// <exception cref="MesosHttpException">Any other status (the body text is kept).</exception>
    /// <exception cref="MesosConnectionException">The endpoint could not be reached, or the call timed out.</exception>
    public async Task<MesosCallResult> CallAsync(
        IMessage call, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        // The call's name is for error messages only: working it out builds the protobuf descriptors (tens of
        // milliseconds the first time), which the successful path of an executor or scheduler never needs.
        Func<string> name = () => CallName(call);
        using var request = await CreateRequestAsync(call, headers, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(_callClient.Value, request, name, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            throw await ToExceptionAsync(response, name(), cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new MesosCallResult(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(IMessage call, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint)
        {
            Content = new ByteArrayContent(MesosCodec.Encode(call, _options.Encoding)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_mediaType);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(_mediaType));
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (_options.Authorization is { } authorization
            && await authorization(cancellationToken).ConfigureAwait(false) is { Length: > 0 } header)
        {
            // Without validation: a DC/OS "token=..." value is not a valid scheme token for AuthenticationHeaderValue.
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpRequestMessage request, Func<string> call, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new MesosConnectionException(_options.Endpoint, call(), ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MesosConnectionException(_options.Endpoint, call(), new TimeoutException($"no answer within {client.Timeout}", ex));
        }
    }

    /// <param name="body">The answer's body when it is not <paramref name="response"/>'s content (the HTTP/1.1 SUBSCRIBE).</param>
    private async Task<MesosHttpException> ToExceptionAsync(
        HttpResponseMessage response, string call, CancellationToken cancellationToken, Stream? body = null)
    {
        string text;
        try
        {
            body ??= await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            text = await ReadErrorTextAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            text = string.Empty;
        }

        // A master answers 307 with a scheme-less "//host:port/api/v1/scheduler": keep our scheme.
        Uri? location = null;
        if (response.Headers.TryGetValues("Location", out var values) && values.FirstOrDefault() is { Length: > 0 } raw)
        {
            Uri.TryCreate(_options.Endpoint, raw, out location);
        }

        return new MesosHttpException(_options.Endpoint, call, response.StatusCode, text, location);
    }

    private static async Task<string> ReadErrorTextAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // keep what arrived: the status says enough
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total).Trim();
    }

    private static string CallName(IMessage call)
    {
        var typeField = call.Descriptor.FindFieldByName("type");
        if (typeField is null || !typeField.Accessor.HasValue(call))
        {
            return call.Descriptor.FullName;
        }

        var number = Convert.ToInt32(typeField.Accessor.GetValue(call), System.Globalization.CultureInfo.InvariantCulture);
        return typeField.EnumType.FindValueByNumber(number)?.Name ?? call.Descriptor.FullName;
    }

    private static SocketsHttpHandler CreateHandler(MesosHttpOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (options.ServerCertificateValidation is { } validate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        }

        if (options.UnixSocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    public void Dispose()
    {
        if (_streamClient.IsValueCreated)
        {
            _streamClient.Value.Dispose();
        }

        if (_callClient.IsValueCreated)
        {
            _callClient.Value.Dispose();
        }
    }
}
