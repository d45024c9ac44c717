using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesos.Protocol.Http;

/// <summary>
/// Sends a SUBSCRIBE as a plain HTTP/1.1 request on a connection of its own and reads the answer's head, for
/// <c>http</c> endpoints and Unix domain sockets (https goes through <see cref="HttpClient"/>).
/// <para>
/// Why not HttpClient: its first request in a process costs tens of milliseconds of JIT compilation that ReadyToRun
/// does not cover (generic async state machines of the connection pool), and the SUBSCRIBE is the first request of
/// every executor, which the agent waits for: the published runner's start → SUBSCRIBE fell from 55.6-65.7 to
/// 42.9-48.0 ms with this path (same runs; README, "Publish settings and figures"). The event stream is one long
/// answer on its own connection, so the little HTTP it needs is here: one request, a head of at most 64 KiB, and a
/// chunked, sized or close-delimited body. Calls keep using HttpClient (pooled connections, made on first use).
/// </para>
/// </summary>
internal static class Http1Subscription
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int SynchronousWriteBytes = 16 * 1024; // Linux's smallest default TCP send buffer

    /// <summary>Connects, sends the request and reads the answer's head. The caller owns the returned body stream.</summary>
    /// <exception cref="SocketException">The endpoint could not be reached.</exception>
    /// <exception cref="IOException">The connection broke, or the answer is not HTTP/1.x.</exception>
    public static async Task<(HttpStatusCode Status, List<KeyValuePair<string, string>> Headers, Http1BodyStream Body)> SendAsync(
        MesosHttpOptions options, string mediaType, byte[] body, IReadOnlyDictionary<string, string>? headers, string? authorization,
        CancellationToken cancellationToken)
    {
        var request = Head(options.Endpoint, mediaType, body.Length, headers, authorization);
        var connection = await ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = new byte[request.Length + body.Length];
            System.Text.Encoding.ASCII.GetBytes(request, bytes);
            body.CopyTo(bytes, request.Length);
            if (bytes.Length <= SynchronousWriteBytes)
            {
                connection.Write(bytes); // fits in the socket's send buffer: never waits for the peer
            }
            else
            {
                // A re-SUBSCRIBE carrying many unacknowledged tasks and updates: the peer must read it, so it may wait.
                await connection.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            return await ReadHeadAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Head(Uri endpoint, string mediaType, int length, IReadOnlyDictionary<string, string>? headers, string? authorization)
    {
        var head = new StringBuilder(256)
            .Append(CultureInfo.InvariantCulture, $"POST {endpoint.PathAndQuery} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {endpoint.Authority}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {mediaType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Accept: {mediaType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                head.Append(CultureInfo.InvariantCulture, $"{Checked(name)}: {Checked(value)}\r\n");
            }
        }

        if (authorization is { Length: > 0 })
        {
            head.Append(CultureInfo.InvariantCulture, $"Authorization: {Checked(authorization)}\r\n");
        }

        return head.Append("\r\n").ToString();
    }

    // A header name or value with a line break (or outside ASCII) would smuggle text into the request.
    private static string Checked(string text) =>
        text.AsSpan().IndexOfAnyExceptInRange((char)0x20, (char)0x7E) < 0
            ? text
            : throw new ArgumentException($"HTTP header text must be printable ASCII without line breaks: '{text}'", nameof(text));

    private static async Task<Stream> ConnectAsync(MesosHttpOptions options, CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint target;
        if (options.UnixSocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(path);
        }
        else
        {
            if (IPAddress.TryParse(options.Endpoint.IdnHost, out var address))
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                target = new IPEndPoint(address, options.Endpoint.Port);
            }
            else
            {
                // Dual mode where the host has IPv6, so either family the name resolves to can be reached.
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                target = new DnsEndPoint(options.Endpoint.IdnHost, options.Endpoint.Port);
            }
        }

        try
        {
            if (target is DnsEndPoint)
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(target, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"could not connect within {options.ConnectTimeout}", ex);
                }
            }
            else
            {
                ConnectWithin(socket, target, options.ConnectTimeout, cancellationToken);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to an address (no name to resolve) on the calling thread, bounded by <paramref name="timeout"/>.
    /// An executor's agent is on the same host, so this takes microseconds, and it spares the SUBSCRIBE of a starting
    /// process the start of the runtime's socket event thread and a thread-pool thread (the continuation of an
    /// asynchronous connect), which come later, while the answer is read.
    /// </summary>
    private static void ConnectWithin(Socket socket, EndPoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A blocking connect, which Linux bounds by the send timeout, rather than a non-blocking one polled: that one
        // always throws "in progress" first, and a process's first exception costs a starting executor milliseconds of
        // exception handling compiled on first use. Cancelling closes the socket, which ends a connect under way.
        cancellationToken.ThrowIfCancellationRequested();
        socket.SendTimeout = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);
        using (cancellationToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket))
        {
            try
            {
                socket.Connect(target);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the SUBSCRIBE was cancelled while connecting", ex, cancellationToken);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.InProgress)
            {
                throw new TimeoutException($"could not connect within {timeout}", ex);
            }
        }

        socket.SendTimeout = 0;
    }

    private static async Task<(HttpStatusCode, List<KeyValuePair<string, string>>, Http1BodyStream)> ReadHeadAsync(
        Stream connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                {
                    throw new IOException($"The answer's head is longer than {MaxHeadBytes} bytes");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The connection closed before the answer's head was complete");
            }

            filled += read;
        }

        var lines = System.Text.Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"Not an HTTP/1.x answer: '{Excerpt(lines[0])}'");
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        var chunked = false;
        long length = -1;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new IOException($"Malformed header line in the answer: '{Excerpt(line)}'");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers.Add(new(name, value));
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length < 0))
            {
                throw new IOException($"Invalid Content-Length in the answer: '{value}'");
            }
        }

        var body = new Http1BodyStream(connection, buffer, headEnd + 4, filled, chunked, length);
        return ((HttpStatusCode)status, headers, body);
    }

    private static string Excerpt(string line) => line.Length <= 60 ? line : line[..60];
}
