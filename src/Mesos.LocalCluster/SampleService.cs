using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesos.LocalCluster;

/// <summary>
/// The demo's HTTP service task (<c>mesos-local sample-service --port N</c>): answers <c>GET /health</c> with 200 until
/// someone asks for <c>/fail</c>, then with 503, so the executor's health check sees it go bad. Plain sockets: it must
/// start fast and needs nothing but this binary. Exits on SIGTERM.
/// </summary>
internal static class SampleService
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var index = args.ToList().IndexOf("--port");
        if (index < 0 || index + 1 >= args.Count || !int.TryParse(args[index + 1], out var port))
        {
            await Console.Error.WriteLineAsync("usage: mesos-local sample-service --port N").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var failing = false;
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Console.WriteLine($"sample-service listening on 127.0.0.1:{port}");
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
                try
                {
                    failing = await AnswerAsync(client, failing, stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException || (ex is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    // A probe that hung up or was too slow: next one.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("sample-service: SIGTERM, stopping");
            return 0;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<bool> AnswerAsync(TcpClient client, bool failing, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await using var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
            if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        var request = Encoding.ASCII.GetString(buffer, 0, read);
        var path = request.Split(' ', 3) is [_, var p, _] ? p : "/";
        if (path == "/fail" && !failing)
        {
            failing = true;
            Console.WriteLine("sample-service: /fail requested; /health answers 503 from now on");
        }

        var (code, text) = failing && path == "/health" ? (503, "Service Unavailable") : (200, "OK");
        var body = path == "/health" ? (failing ? "unhealthy\n" : "healthy\n") : "ok\n";
        var response = $"HTTP/1.1 {code} {text}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token).ConfigureAwait(false);
        return failing;
    }
}
