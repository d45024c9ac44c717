using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.TaskHealth.Sidecar;

/// <summary>Runs the monitors, writes transitions to stdout and serves the status endpoint.</summary>
internal sealed class SidecarHost(
    IReadOnlyList<HealthTarget> targets,
    string? listen,
    bool exitOnUnhealthy,
    ILoggerFactory loggerFactory,
    TextWriter stdout)
{
    private readonly Lock _stdoutGate = new();
    // Replaced as a whole once every monitor runs, so the status endpoint never sees a list being filled.
    private volatile HealthMonitor[] _monitors = [];
    private int _exitCode;

    /// <summary>Runs until <paramref name="stop"/> fires or, with exit-on-unhealthy, a target becomes unhealthy.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
        WebApplication? app = null;
        if (listen is not null)
        {
            app = await StartStatusServerAsync(listen).ConfigureAwait(false);
        }

        try
        {
            var logger = loggerFactory.CreateLogger("Mesos.TaskHealth");
            _monitors = targets.Select(target => HealthMonitor.Start(target, e => OnEventAsync(e, done), logger: logger)).ToArray();

            // Until a signal or an unhealthy target; never continue inline on a monitor's callback stack.
            await Task.Delay(Timeout.InfiniteTimeSpan, done.Token)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);

            foreach (var monitor in _monitors)
            {
                await monitor.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        return Volatile.Read(ref _exitCode);
    }

    private ValueTask OnEventAsync(HealthEvent healthEvent, CancellationTokenSource done)
    {
        if (healthEvent is not HealthChanged changed)
        {
            return ValueTask.CompletedTask;
        }

        WriteLine(JsonSerializer.Serialize(
            new TransitionLine(
                "transition",
                changed.Target,
                Lower(changed.Previous),
                Lower(changed.Current),
                changed.Timestamp,
                changed.ConsecutiveFailures,
                Lower(changed.Result.Failure),
                changed.Result.Message),
            SidecarJsonContext.Default.TransitionLine));

        if (exitOnUnhealthy && changed.Current == HealthState.Unhealthy)
        {
            Volatile.Write(ref _exitCode, 1);
            done.Cancel();
        }

        return ValueTask.CompletedTask;
    }

    private void WriteLine(string line)
    {
        lock (_stdoutGate)
        {
            stdout.WriteLine(line);
            stdout.Flush();
        }
    }

    private async Task<WebApplication> StartStatusServerAsync(string address)
    {
        var endpoint = ParseEndpoint(address);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(endpoint));
        var app = builder.Build();
        app.Run(ServeStatusAsync);
        await app.StartAsync().ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        WriteLine(JsonSerializer.Serialize(new ListeningLine("listening", bound + "/"), SidecarJsonContext.Default.ListeningLine));
        return app;
    }

    private async Task ServeStatusAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var snapshots = _monitors.Select(m => m.Snapshot).ToList();
        var healthy = snapshots.Count == targets.Count && snapshots.All(s => s.State == HealthState.Healthy);
        var body = new StatusBody(
            healthy ? "healthy" : "unhealthy",
            snapshots.Select(s => new TargetStatus(
                s.Target,
                Lower(s.State),
                s.ConsecutiveFailures,
                s.ConsecutiveSuccesses,
                s.InGracePeriod,
                s.Probes,
                s.LastProbeAt,
                s.LastResult is { } r
                    ? new ResultStatus(Lower(r.Outcome), Lower(r.Failure), r.Message, r.StatusCode, r.ExitCode, r.Duration.TotalMilliseconds)
                    : null)).ToList());

        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, SidecarJsonContext.Default.StatusBody, context.RequestAborted)
            .ConfigureAwait(false);
    }

    internal static IPEndPoint ParseEndpoint(string address)
    {
        if (IPEndPoint.TryParse(address, out var endpoint) && address.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        var colon = address.LastIndexOf(':');
        if (colon > 0 && address[..colon] is "localhost" or "*"
            && int.TryParse(address.AsSpan(colon + 1), out var port))
        {
            return new IPEndPoint(address[..colon] == "*" ? IPAddress.Any : IPAddress.Loopback, port);
        }

        throw new ConfigException($"--listen '{address}' must look like IP:PORT, e.g. 127.0.0.1:9090 or 0.0.0.0:$PORT0");
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
