namespace Mesos.Scheduler.Lite;

/// <summary>Normalises master addresses to their scheduler API URL.</summary>
public static class MasterEndpoints
{
    /// <summary>
    /// <c>http://m1:5050</c>, <c>m1:5050</c>, <c>http://[::1]:5050/</c> and <c>http://m1:5050/api/v1/scheduler</c> all become
    /// <c>http(s)://host:port/api/v1/scheduler</c>. A bare <c>host:port</c> gets <c>http://</c>.
    /// </summary>
    public static Uri ToSchedulerEndpoint(string master)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(master);
        var text = master.Trim();
        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            text = "http:" + text;
        }
        else if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{master}' is not a master address; expected e.g. http://10.0.0.1:5050 or https://[fd00::1]:5050", nameof(master));
        }

        return ToSchedulerEndpoint(uri);
    }

    /// <inheritdoc cref="ToSchedulerEndpoint(string)"/>
    public static Uri ToSchedulerEndpoint(Uri master)
    {
        ArgumentNullException.ThrowIfNull(master);
        if (master.AbsolutePath.TrimEnd('/').EndsWith("/" + Defaults.SchedulerApiPath, StringComparison.Ordinal))
        {
            return master;
        }

        var builder = new UriBuilder(master) { Path = master.AbsolutePath.TrimEnd('/') + "/" + Defaults.SchedulerApiPath, Query = string.Empty };
        return builder.Uri;
    }
}
