using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.Testing.Hosting;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (an ephemeral port unless one is given) or on a Unix domain socket, running
/// one request delegate. The base every fake here stands on; usable directly for ad-hoc HTTP peers in tests.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpServer(WebApplication app, Uri baseAddress, string? unixSocketPath)
    {
        _app = app;
        BaseAddress = baseAddress;
        UnixSocketPath = unixSocketPath;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>; for a Unix socket server, <c>http://localhost/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The socket path when listening on a Unix domain socket.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>The TCP port, or 0 on a Unix socket.</summary>
    public int Port => UnixSocketPath is null ? BaseAddress.Port : 0;

    /// <summary>Starts a server that hands every request to <paramref name="handler"/>.</summary>
    /// <param name="port">0 for an ephemeral port.</param>
    /// <param name="unixSocketPath">Listen on this Unix domain socket instead of TCP.</param>
    public static async Task<LoopbackHttpServer> StartAsync(
        RequestDelegate handler, int port = 0, string? unixSocketPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (unixSocketPath is not null)
            {
                kestrel.ListenUnixSocket(unixSocketPath);
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        if (unixSocketPath is not null)
        {
            return new LoopbackHttpServer(app, new Uri("http://localhost/"), unixSocketPath);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHttpServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), null);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Open streams did not close in time; disposing the app aborts them.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
