using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.TaskHealth.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 (HTTP and HTTPS with a throw-away self-signed certificate) whose
/// paths behave like the targets the probes must judge.
/// </summary>
public sealed class TargetServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _switches = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private WebApplication? _app;
    private int _flap;

    public Uri Http { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    public int Port => Http.Port;

    public Uri Url(string path) => new(Http, path);

    /// <summary>Sets what <c>/switch/{key}</c> answers.</summary>
    public void SetSwitch(string key, int status) => _switches[key] = status;

    /// <summary>How many requests <c>/switch/{key}</c> or <c>/count/{key}</c> got.</summary>
    public int Hits(string key) => _hits.GetValueOrDefault(key);

    public async Task InitializeAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync().Within();
        var addresses = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).ToList();
        Http = addresses.Single(a => a.Scheme == "http");
        Https = addresses.Single(a => a.Scheme == "https");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().Within();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var aborted = context.RequestAborted;
        switch (path)
        {
            case "/ok":
                await context.Response.WriteAsync("ok", aborted);
                return;
            case "/fail":
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("broken", aborted);
                return;
            case "/redirect":
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/ok";
                return;
            case "/redirect-to-fail":
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/fail";
                return;
            case "/slow":
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
                await context.Response.WriteAsync("late", aborted);
                return;
            case "/hang":
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
                return;
            case "/close":
                context.Abort();
                return;
            case "/json-up":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"status":"up","checks":{"db":true,"count":3},"items":[{"name":"a"}]}""", aborted);
                return;
            case "/json-down":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"status":"down","checks":{"db":false}}""", aborted);
                return;
            case "/flap":
                context.Response.StatusCode = Interlocked.Increment(ref _flap) % 2 == 1 ? 200 : 500;
                return;
            case "/headers":
                context.Response.StatusCode = context.Request.Headers["X-Health"] == "yes" ? 200 : 400;
                return;
            case "/head-only":
                context.Response.StatusCode = HttpMethods.IsHead(context.Request.Method) ? 200 : 405;
                return;
            case "/big":
                await context.Response.Body.WriteAsync(new byte[2 * 1024 * 1024], aborted);
                return;
        }

        if (path.StartsWith("/switch/", StringComparison.Ordinal))
        {
            var key = path["/switch/".Length..];
            _hits.AddOrUpdate(key, 1, (_, n) => n + 1);
            context.Response.StatusCode = _switches.GetValueOrDefault(key, 200);
            await context.Response.WriteAsync("switch " + key, aborted);
            return;
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path["/status/".Length..], out var status))
        {
            context.Response.StatusCode = status;
            return;
        }

        context.Response.StatusCode = 404;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mesos-taskhealth-tests", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>Ports that refuse connections and listeners that accept them.</summary>
internal static class Ports
{
    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int Closed()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
