using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mesos.Testing.Cluster;

/// <summary>
/// Serves files over HTTP on 127.0.0.1 (an ephemeral port), as an artifact store would: <c>GET /NAME</c> answers the file
/// registered under that name, 404 otherwise. Frameworks point <c>CommandInfo.uris</c> at <see cref="UriOf"/>.
/// </summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _files;
    private readonly LoopbackHttpServer _server;
    private int _downloads;

    private ArtifactServer(Dictionary<string, string> files, LoopbackHttpServer server)
    {
        _files = files;
        _server = server;
    }

    /// <summary>Starts serving <paramref name="files"/> (URL name → local path).</summary>
    public static async Task<ArtifactServer> StartAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, path) in files)
        {
            if (name.Contains('/', StringComparison.Ordinal) || !File.Exists(path))
            {
                throw new ArgumentException($"Artifact '{name}' must be a plain name for an existing file (got '{path}')", nameof(files));
            }

            map[name] = Path.GetFullPath(path);
        }

        ArtifactServer? self = null;
        var server = await LoopbackHttpServer.StartAsync(context => self!.HandleAsync(context), cancellationToken: cancellationToken).ConfigureAwait(false);
        self = new ArtifactServer(map, server);
        return self;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>Files served so far (complete GETs answered 200).</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>The URL of the file registered as <paramref name="name"/>.</summary>
    public Uri UriOf(string name) => _files.ContainsKey(name)
        ? new Uri(BaseAddress, Uri.EscapeDataString(name))
        : throw new ArgumentException($"No artifact named '{name}'", nameof(name));

    private async Task HandleAsync(HttpContext context)
    {
        var name = Uri.UnescapeDataString(context.Request.Path.Value?.TrimStart('/') ?? string.Empty);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!_files.TryGetValue(name, out var path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = new FileInfo(path).Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.SendFileAsync(path, context.RequestAborted).ConfigureAwait(false);
            Interlocked.Increment(ref _downloads);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
