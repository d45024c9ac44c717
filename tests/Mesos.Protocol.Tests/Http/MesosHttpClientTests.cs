using System.Net;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.Http;
using Mesos.Protocol.RecordIO;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorEvent = Mesos.V1.Executor.Event;

namespace Mesos.Protocol.Tests.Http;

public sealed class MesosHttpClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ExecutorCall Subscribe() => ExecutorCalls.Subscribe();

    private static ExecutorCall Message() => ExecutorCalls.Message();

    [Theory]
    [InlineData(MesosEncoding.Json)]
    [InlineData(MesosEncoding.Protobuf)]
    public async Task Subscribe_StreamsEachEventBeforeTheServerSendsTheNext(MesosEncoding encoding)
    {
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ExecutorCall? received = null;
        string? accept = null;
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            accept = context.Request.Headers.Accept;
            received = MesosCodec.Decode<ExecutorCall>(await ReadBodyAsync(context), encoding);
            context.Response.ContentType = MesosMediaTypes.Of(encoding);
            context.Response.Headers["Mesos-Stream-Id"] = "stream-1";
            await WriteEventAsync(context, new ExecutorEvent { Type = ExecutorEvent.Types.Type.Heartbeat }, encoding);

            // The next event is sent only once the client has seen the first: proves events are not buffered.
            await firstSeen.Task.WaitAsync(Timeout);
            await WriteEventAsync(context, new ExecutorEvent { Type = ExecutorEvent.Types.Type.Shutdown }, encoding);
        });
        using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri(server.BaseAddress, "api/v1/executor"), Encoding = encoding });

        await using var stream = await client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout);
        var types = new List<ExecutorEvent.Types.Type>();
        await foreach (var ev in stream.ReadEventsAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            types.Add(ev.Type);
            firstSeen.TrySetResult();
        }

        Assert.Equal([ExecutorEvent.Types.Type.Heartbeat, ExecutorEvent.Types.Type.Shutdown], types);
        Assert.Equal("stream-1", stream.StreamId);
        Assert.Equal(MesosMediaTypes.Of(encoding), accept);
        Assert.Equal(Subscribe(), received);
    }

    [Fact]
    public async Task Call_Answered202_Succeeds_AndCarriesHeadersAndAuthorization()
    {
        Dictionary<string, string>? headers = null;
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            // Kestrel reuses the header collection after the request: copy what the test checks.
            headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        using var client = new MesosHttpClient(new MesosHttpOptions
        {
            Endpoint = new Uri(server.BaseAddress, "api/v1/executor"),
            Authorization = MesosAuthorization.Fixed(MesosAuthorization.Bearer("secret-token")),
        });

        var result = await client.CallAsync(Message(), new Dictionary<string, string> { ["Mesos-Stream-Id"] = "s-9" }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Accepted, result.StatusCode);
        Assert.Equal("Bearer secret-token", headers!["Authorization"]);
        Assert.Equal("s-9", headers["Mesos-Stream-Id"]);
        Assert.Equal("application/json", headers["Content-Type"]);
    }

    [Theory]
    [InlineData(400, "Failed to validate Executor::Call: Expecting 'subscribe' to be present")]
    [InlineData(403, "Executor is not subscribed")]
    [InlineData(503, "Agent has not finished recovery")]
    public async Task Call_AnsweredWithAnError_ThrowsWithStatusAndBody(int status, string body)
    {
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });
        using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri(server.BaseAddress, "api/v1/executor") });

        var ex = await Assert.ThrowsAsync<MesosHttpException>(() => client.CallAsync(Message()).WaitAsync(Timeout));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(body, ex.Body);
        Assert.Contains("MESSAGE", ex.Message, StringComparison.Ordinal);
        Assert.Contains(body, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_AndTheSchemelessLocationIsResolved()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = "//10.1.2.3:5050/api/v1/scheduler";
            return Task.CompletedTask;
        });
        using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri(server.BaseAddress, "api/v1/scheduler") });

        var ex = await Assert.ThrowsAsync<MesosHttpException>(() => client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, ex.StatusCode);
        Assert.Equal(new Uri("http://10.1.2.3:5050/api/v1/scheduler"), ex.RedirectLocation);
    }

    [Fact]
    public async Task ConnectionRefused_IsAConnectionException()
    {
        int port;
        await using (var server = await LoopbackHttpServer.StartAsync(_ => Task.CompletedTask))
        {
            port = server.Port;
        }

        using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/api/v1/executor") });

        await Assert.ThrowsAsync<MesosConnectionException>(() => client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Subscribe_NeverAnswered_FailsAsAConnectionProblemAfterTheSubscribeTimeout()
    {
        using var release = new CancellationTokenSource();
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            // Accepts the request and never sends the answer's headers (a peer going down).
            await Task.Delay(System.Threading.Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = new MesosHttpClient(new MesosHttpOptions
        {
            Endpoint = new Uri(server.BaseAddress, "api/v1/executor"),
            SubscribeTimeout = TimeSpan.FromMilliseconds(300),
        });

        var ex = await Assert.ThrowsAsync<MesosConnectionException>(() => client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout));

        Assert.IsType<TimeoutException>(ex.InnerException);
        release.Cancel();
    }

    [Fact]
    public async Task StreamEndingMidRecord_FailsAsTruncated()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = MesosMediaTypes.Json;
            await context.Response.Body.WriteAsync("20\n{\"type\":"u8.ToArray());
        });
        using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri(server.BaseAddress, "api/v1/executor") });
        await using var stream = await client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout);

        var ex = await Assert.ThrowsAsync<RecordIOException>(async () =>
        {
            await foreach (var unused in stream.ReadEventsAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
            }
        });
        Assert.Equal(RecordIOErrorKind.Truncated, ex.Kind);
    }

    [Fact]
    public async Task UnixDomainSocket_CarriesTheSameProtocol()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"mesos-agent-{Guid.NewGuid():N}.sock");
        try
        {
            await using var server = await LoopbackHttpServer.StartAsync(
                async context =>
                {
                    context.Response.ContentType = MesosMediaTypes.Json;
                    await WriteEventAsync(context, new ExecutorEvent { Type = ExecutorEvent.Types.Type.Heartbeat }, MesosEncoding.Json);
                },
                unixSocketPath: socket);
            using var client = new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri("http://localhost/api/v1/executor"), UnixSocketPath = socket });

            await using var stream = await client.SubscribeAsync<ExecutorEvent>(Subscribe()).WaitAsync(Timeout);
            var events = new List<ExecutorEvent>();
            await foreach (var ev in stream.ReadEventsAsync().WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                events.Add(ev);
            }

            Assert.Equal(ExecutorEvent.Types.Type.Heartbeat, Assert.Single(events).Type);
        }
        finally
        {
            File.Delete(socket);
        }
    }

    [Fact]
    public async Task Calls_InFlightTogether_UseAtMostMaxCallConnections_AndTheRestWaitTheirTurn()
    {
        var connections = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        int inFlight = 0;
        int mostInFlight = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            connections.TryAdd(context.Connection.Id, 0);
            int now = Interlocked.Increment(ref inFlight);
            lock (connections)
            {
                mostInFlight = Math.Max(mostInFlight, now);
            }

            await release.Task.WaitAsync(Timeout);
            Interlocked.Decrement(ref inFlight);
            context.Response.StatusCode = 202;
        });
        using var client = new MesosHttpClient(new MesosHttpOptions
        {
            Endpoint = new Uri(server.BaseAddress, "api/v1/executor"),
            MaxCallConnections = 3,
        });

        var calls = Enumerable.Range(0, 30).Select(_ => client.CallAsync(Message())).ToArray();
        var deadline = DateTime.UtcNow + Timeout;
        while (Volatile.Read(ref inFlight) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300); // time enough for a fourth connection, were one allowed
        Assert.Equal(3, Volatile.Read(ref inFlight));
        release.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(Timeout);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(3, mostInFlight);
        Assert.Equal(3, connections.Count);
    }

    [Fact]
    public void Options_WithoutAnHttpEndpoint_AreRejectedByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MesosHttpClient(new MesosHttpOptions { Endpoint = new Uri("ftp://x/") }));

        Assert.Contains("Endpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithNoCallConnection_AreRejectedByName()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MesosHttpClient(new MesosHttpOptions
        {
            Endpoint = new Uri("http://127.0.0.1:5051/api/v1/executor"),
            MaxCallConnections = 0,
        }));

        Assert.Contains("MaxCallConnections", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthorizationHelpers_BuildTheHeaderValuesMesosExpects()
    {
        Assert.Equal("Basic cHJpbmNpcGFsOnNlY3JldA==", MesosAuthorization.Basic("principal", "secret"));
        Assert.Equal("Bearer t", MesosAuthorization.Bearer("t"));
        Assert.Equal("token=jwt", MesosAuthorization.DcosToken("jwt"));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var memory = new MemoryStream();
        await context.Request.Body.CopyToAsync(memory);
        return memory.ToArray();
    }

    private static async Task WriteEventAsync(HttpContext context, ExecutorEvent ev, MesosEncoding encoding)
    {
        await context.Response.Body.WriteAsync(RecordIOWriter.Frame(MesosCodec.Encode(ev, encoding)));
        await context.Response.Body.FlushAsync();
    }
}
