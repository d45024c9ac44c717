using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.Http;
using Mesos.Protocol.RecordIO;
using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorEvent = Mesos.V1.Executor.Event;

namespace Mesos.Protocol.Tests.Http;

/// <summary>
/// The SUBSCRIBE's own HTTP/1.1 path against a scripted server on a raw socket: the framings and malformed answers
/// Kestrel never produces (the Kestrel-backed tests in MesosHttpClientTests cover the ordinary ones).
/// </summary>
public sealed class Http1SubscriptionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ExecutorCall Subscribe() => ExecutorCalls.Subscribe();

    private static byte[] Record(ExecutorEvent.Types.Type type) =>
        RecordIOWriter.Frame(MesosCodec.Encode(new ExecutorEvent { Type = type }, MesosEncoding.Protobuf));

    [Fact]
    public async Task ChunkedAnswer_SentAByteAtATime_WithExtensionsAndTrailers_YieldsEveryEvent()
    {
        var first = Record(ExecutorEvent.Types.Type.Heartbeat);
        var second = Record(ExecutorEvent.Types.Type.Shutdown);
        var answer = Concat(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\nMesos-Stream-Id: s-1\r\n\r\n",
            $"{first.Length:x};name=value\r\n", first, "\r\n",
            $"{second.Length:X}\r\n", second, "\r\n",
            "0\r\nSome-Trailer: x\r\n\r\n");
        await using var server = await ScriptedServer.StartAsync(answer, bytesPerWrite: 1);

        var (types, request) = await SubscribeAndReadAsync(server);

        Assert.Equal([ExecutorEvent.Types.Type.Heartbeat, ExecutorEvent.Types.Type.Shutdown], types);
        Assert.StartsWith("POST /api/v1/executor HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/x-protobuf\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nAccept: application/x-protobuf\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nAuthorization: Bearer t\r\n", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SizedAndCloseDelimitedAnswers_YieldTheirEvents(bool sized)
    {
        var body = Concat(Record(ExecutorEvent.Types.Type.Heartbeat), Record(ExecutorEvent.Types.Type.Shutdown));
        var head = sized ? $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n" : "HTTP/1.0 200 OK\r\n\r\n";
        await using var server = await ScriptedServer.StartAsync(Concat(head, body), bytesPerWrite: 7);

        var (types, _) = await SubscribeAndReadAsync(server);

        Assert.Equal([ExecutorEvent.Types.Type.Heartbeat, ExecutorEvent.Types.Type.Shutdown], types);
    }

    [Fact]
    public async Task EndpointByName_IsResolved_AndTheHostHeaderKeepsTheName()
    {
        var body = Record(ExecutorEvent.Types.Type.Heartbeat);
        await using var server = await ScriptedServer.StartAsync(Concat($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n", body));

        var (types, request) = await SubscribeAndReadAsync(server, "localhost");

        Assert.Equal([ExecutorEvent.Types.Type.Heartbeat], types);
        Assert.Contains($"\r\nHost: localhost:{server.Port}\r\n", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorAnswer_KeepsStatusAndText_AndARedirectsLocationIsResolved()
    {
        var text = "Failed to validate Executor::Call: Expecting 'subscribe' to be present";
        await using var bad = await ScriptedServer.StartAsync(Concat($"HTTP/1.1 400 Bad Request\r\nContent-Length: {text.Length}\r\n\r\n{text}"));
        var error = await Assert.ThrowsAsync<MesosHttpException>(() => SubscribeAndReadAsync(bad));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);

        await using var moved = await ScriptedServer.StartAsync(Concat("HTTP/1.1 307 Temporary Redirect\r\nLocation: //10.0.0.9:5050/api/v1/scheduler\r\nContent-Length: 0\r\n\r\n"));
        var redirect = await Assert.ThrowsAsync<MesosHttpException>(() => SubscribeAndReadAsync(moved));
        Assert.Equal(new Uri("http://10.0.0.9:5050/api/v1/scheduler"), redirect.RedirectLocation);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n")]
    public async Task AnswerThatIsNotHttp_IsAConnectionProblem(string answer)
    {
        await using var server = await ScriptedServer.StartAsync(Concat(answer));

        var ex = await Assert.ThrowsAsync<MesosConnectionException>(() => SubscribeAndReadAsync(server));

        Assert.IsType<IOException>(ex.InnerException);
    }

    [Theory]
    [InlineData("zz\r\n")] // not hex
    [InlineData("10\r\n9\nabc")] // the connection ends inside the chunk (and inside a record)
    public async Task BrokenChunking_EndsTheStreamWithAConnectionError(string chunks)
    {
        await using var server = await ScriptedServer.StartAsync(Concat("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunks));

        await Assert.ThrowsAsync<MesosConnectionException>(() => SubscribeAndReadAsync(server));
    }

    [Fact]
    public async Task SubscribeToALocalPeer_ThrowsNothingOnTheWay()
    {
        // A process's first exception costs a starting executor milliseconds (exception handling compiled on first
        // use), and a non-blocking connect always throws "in progress": the way that works must not throw at all.
        await using var server = await ScriptedServer.StartAsync(Concat("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var thrown = new List<Exception>();
        var watching = new AsyncLocal<bool>();
        void Watch(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (watching.Value)
            {
                lock (thrown)
                {
                    thrown.Add(e.Exception);
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Watch;
        try
        {
            using var client = Client(server, "127.0.0.1");
            watching.Value = true;
            await using var stream = await client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout);
            watching.Value = false;
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Watch;
        }

        lock (thrown)
        {
            Assert.Empty(thrown.Select(e => $"{e.GetType().Name}: {e.Message}"));
        }
    }

    [Fact]
    public async Task EndpointWhoseAcceptQueueIsFull_FailsAfterTheConnectTimeout_NotTheSubscribeTimeout()
    {
        await using var queue = await FullAcceptQueue.StartAsync();
        using var client = queue.Client(connectTimeout: TimeSpan.FromMilliseconds(400), subscribeTimeout: TimeSpan.FromSeconds(30));
        var ex = await Assert.ThrowsAsync<MesosConnectionException>(() => client.SubscribeAsync<ExecutorEvent>(Subscribe()));

        // The connect timeout's own text, not the SUBSCRIBE timeout's ("no answer within").
        Assert.Contains("could not connect within", ex.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingWhileTheConnectHangs_EndsTheSubscribe()
    {
        await using var queue = await FullAcceptQueue.StartAsync();
        using var client = queue.Client(connectTimeout: TimeSpan.FromMinutes(5), subscribeTimeout: TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // The connect runs on the calling thread: start it elsewhere so a hang fails the guard below, not the run.
        var subscribe = Task.Run(() => client.SubscribeAsync<ExecutorEvent>(Subscribe(), cancellationToken: cancel.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribe.WaitAsync(Timeout));
    }

    [Fact]
    public async Task LargeSubscribe_ToAPeerThatNeverReads_EndsWithTheSubscribeTimeout()
    {
        // A re-SUBSCRIBE may carry many unacknowledged tasks; a peer that accepts and never reads must not hang it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        var call = Subscribe();
        for (var i = 0; i < 400; i++)
        {
            call.Subscribe.UnacknowledgedTasks.Add(new Mesos.V1.TaskInfo
            {
                Name = "t",
                TaskId = new Mesos.V1.TaskID { Value = $"t-{i}" },
                AgentId = new Mesos.V1.AgentID { Value = "a" },
                Data = Google.Protobuf.ByteString.CopyFrom(new byte[100_000]),
            });
        }

        using var client = new MesosHttpClient(new MesosHttpOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/api/v1/executor"),
            Encoding = MesosEncoding.Protobuf,
            SubscribeTimeout = TimeSpan.FromMilliseconds(500),
        });

        try
        {
            // On a thread of its own: a write that blocked the caller would fail this test after Timeout, not hang it.
            var ex = await Assert.ThrowsAsync<MesosConnectionException>(
                () => Task.Run(() => client.SubscribeAsync<ExecutorEvent>(call)).WaitAsync(Timeout));

            Assert.IsType<TimeoutException>(ex.InnerException);
        }
        finally
        {
            (await accepted.WaitAsync(Timeout)).Dispose();
        }
    }

    [Fact]
    public async Task HeaderWithALineBreak_IsRefusedBeforeAnythingIsSent()
    {
        await using var server = await ScriptedServer.StartAsync(Concat("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        using var client = Client(server);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SubscribeAsync<ExecutorEvent>(Subscribe(), new Dictionary<string, string> { ["X-Evil"] = "a\r\nInjected: yes" }));
    }

    private static MesosHttpClient Client(ScriptedServer server, string host = "127.0.0.1") => new(new MesosHttpOptions
    {
        Endpoint = new Uri($"http://{host}:{server.Port}/api/v1/executor"),
        Encoding = MesosEncoding.Protobuf,
        Authorization = MesosAuthorization.Fixed(MesosAuthorization.Bearer("t")),
    });

    private static async Task<(List<ExecutorEvent.Types.Type> Types, string Request)> SubscribeAndReadAsync(
        ScriptedServer server, string host = "127.0.0.1")
    {
        using var client = Client(server, host);
        await using var stream = await client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout);
        var types = new List<ExecutorEvent.Types.Type>();
        await foreach (var ev in stream.ReadEventsAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            types.Add(ev.Type);
        }

        return (types, await server.Request.WaitAsync(Timeout));
    }

    private static byte[] Concat(params object[] parts) =>
        parts.SelectMany(p => p switch
        {
            string text => System.Text.Encoding.ASCII.GetBytes(text),
            byte[] bytes => bytes,
            _ => throw new ArgumentException("string or byte[]", nameof(parts)),
        }).ToArray();

    /// <summary>Accepts one connection, reads the request's head and body, writes the scripted answer, closes.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;
        private readonly TaskCompletionSource<string> _request = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ScriptedServer(TcpListener listener, byte[] answer, int bytesPerWrite)
        {
            _listener = listener;
            _serving = ServeAsync(answer, bytesPerWrite);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<string> Request => _request.Task;

        public static Task<ScriptedServer> StartAsync(byte[] answer, int bytesPerWrite = int.MaxValue)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new ScriptedServer(listener, answer, bytesPerWrite));
        }

        private async Task ServeAsync(byte[] answer, int bytesPerWrite)
        {
            try
            {
                using var socket = await _listener.AcceptSocketAsync();
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var received = new List<byte>();
                var buffer = new byte[4096];
                while (true)
                {
                    var text = System.Text.Encoding.ASCII.GetString(received.ToArray());
                    var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd >= 0)
                    {
                        var length = text.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
                        if (received.Count >= headEnd + 4 + length)
                        {
                            _request.TrySetResult(text[..(headEnd + 4)]);
                            break;
                        }
                    }

                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        _request.TrySetResult(text);
                        return; // the client gave up before sending it all (refused request)
                    }

                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                for (var offset = 0; offset < answer.Length; offset += bytesPerWrite)
                {
                    await stream.WriteAsync(answer.AsMemory(offset, Math.Min(bytesPerWrite, answer.Length - offset)));
                    await stream.FlushAsync();
                }

                socket.Shutdown(SocketShutdown.Send);
                while (await stream.ReadAsync(buffer) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                _request.TrySetResult(string.Empty);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving.WaitAsync(Timeout).ConfigureAwait(false);
        }
    }

    /// <summary>A listener that never accepts, its queue filled: Linux then ignores further SYNs, so a connect hangs.</summary>
    private sealed class FullAcceptQueue : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _fillers = [];

        private FullAcceptQueue(Socket listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public MesosHttpClient Client(TimeSpan connectTimeout, TimeSpan subscribeTimeout) => new(new MesosHttpOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{Port}/api/v1/executor"),
            ConnectTimeout = connectTimeout,
            SubscribeTimeout = subscribeTimeout,
        });

        public static async Task<FullAcceptQueue> StartAsync()
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var queue = new FullAcceptQueue(listener);
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                queue._fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await filler.ConnectAsync(IPAddress.Loopback, queue.Port, quick.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the queue is full
                }
            }

            return queue;
        }

        public ValueTask DisposeAsync()
        {
            _fillers.ForEach(f => f.Dispose());
            _listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
