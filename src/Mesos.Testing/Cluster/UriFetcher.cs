using CommandInfo = Mesos.V1.CommandInfo;

namespace Mesos.Testing.Cluster;

/// <summary>
/// The agent's fetcher, for what a local cluster needs: <c>http(s)://</c> URIs downloaded, <c>file://</c> URIs and absolute
/// paths copied, into the sandbox under <c>output_file</c> or the URI's last segment; <c>executable</c> makes the file
/// runnable (0755). Archives are not extracted and nothing is cached: each executor gets a fresh copy.
/// </summary>
internal static class UriFetcher
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <exception cref="FetchException">A URI could not be fetched; the message says which and why.</exception>
    public static async Task FetchAsync(IEnumerable<CommandInfo.Types.URI> uris, string sandbox, CancellationToken cancellationToken)
    {
        foreach (var uri in uris)
        {
            await FetchOneAsync(uri, sandbox, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task FetchOneAsync(CommandInfo.Types.URI uri, string sandbox, CancellationToken cancellationToken)
    {
        var value = uri.Value;
        Uri? parsed = Uri.TryCreate(value, UriKind.Absolute, out var u) ? u : null;
        var name = uri.HasOutputFile && uri.OutputFile.Length > 0
            ? uri.OutputFile
            : Path.GetFileName(parsed is not null && !parsed.IsFile ? parsed.AbsolutePath : value);
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new FetchException($"Cannot fetch '{value}': no file name to write it to (set output_file)");
        }

        var target = Path.Combine(sandbox, name);
        try
        {
            if (parsed is { Scheme: "http" or "https" })
            {
                using var response = await Http.GetAsync(parsed, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new FetchException($"Failed to fetch '{value}': HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else if (parsed is { IsFile: true } || value.StartsWith('/'))
            {
                var source = parsed is { IsFile: true } ? parsed.LocalPath : value;
                if (!File.Exists(source))
                {
                    throw new FetchException($"Failed to fetch '{value}': {source} does not exist");
                }

                await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await input.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new FetchException($"Cannot fetch '{value}': the local cluster fetches http://, https:// and file:// URIs and absolute paths only");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            throw new FetchException($"Failed to fetch '{value}': {ex.Message}", ex);
        }

        if (uri.Executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}

/// <summary>A URI of an executor's CommandInfo could not be fetched.</summary>
public sealed class FetchException : Exception
{
    public FetchException(string message)
        : base(message)
    {
    }

    public FetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FetchException()
    {
    }
}
