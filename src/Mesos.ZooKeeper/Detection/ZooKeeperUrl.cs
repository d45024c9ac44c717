namespace Mesos.ZooKeeper.Detection;

/// <summary>
/// A Mesos-style ZooKeeper URL: <c>zk://[user:password@]host1:2181[,host2:2181...]/path</c>, as given to
/// <c>mesos-master --zk</c> and to frameworks (<c>--master=zk://...</c>).
/// </summary>
/// <remarks>
/// Credentials (<c>user:password@</c>) are parsed and dropped: Mesos uses them for ZooKeeper digest
/// authentication, which this client does not implement. Leader detection only reads nodes, and Mesos
/// creates its group nodes readable by anyone, so detection works without them; <see cref="HadCredentials"/>
/// tells the caller they were ignored (the detector logs a warning).
/// </remarks>
public sealed record ZooKeeperUrl
{
    private ZooKeeperUrl(string connectString, string path, bool hadCredentials)
    {
        ConnectString = connectString;
        Path = path;
        HadCredentials = hadCredentials;
    }

    /// <summary>The servers, as a connect string without chroot (<c>host1:2181,host2:2181</c>).</summary>
    public string ConnectString { get; }

    /// <summary>The ZooKeeper path of the Mesos master group (for example <c>/mesos</c>).</summary>
    public string Path { get; }

    /// <summary>Whether the URL carried <c>user:password@</c> (ignored; see remarks).</summary>
    public bool HadCredentials { get; }

    public static ZooKeeperUrl Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        const string scheme = "zk://";
        var text = url.Trim();
        if (!text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{Redact(url)}' is not a ZooKeeper URL; expected zk://host:port[,host:port...]/path", nameof(url));
        }

        text = text[scheme.Length..];
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? text : text[..slash];
        var path = slash < 0 ? "/" : text[slash..];
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path.TrimEnd('/');
        }

        // user:password@hosts — the password may itself contain '@', so split at the last one.
        var at = authority.LastIndexOf('@');
        var hadCredentials = at >= 0;
        var hosts = hadCredentials ? authority[(at + 1)..] : authority;
        if (hosts.Length == 0)
        {
            throw new ArgumentException($"The ZooKeeper URL '{Redact(url)}' names no server", nameof(url));
        }

        ZooKeeperPath.Validate(path, nameof(url));
        var parsed = ZooKeeperConnectString.Parse(hosts);
        return new ZooKeeperUrl(string.Join(',', parsed.Servers), path, hadCredentials);
    }

    /// <summary>The URL without credentials.</summary>
    public override string ToString() => $"zk://{ConnectString}{(Path == "/" ? string.Empty : Path)}";

    private static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var start = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && start >= 0 && at > start ? url[..(start + 3)] + "***@" + url[(at + 1)..] : url;
    }
}
