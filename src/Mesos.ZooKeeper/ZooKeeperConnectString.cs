using System.Globalization;

namespace Mesos.ZooKeeper;

/// <summary>One ZooKeeper server of a connect string.</summary>
public sealed record ZooKeeperServer(string Host, int Port)
{
    /// <summary><c>host:port</c>, with IPv6 literals in brackets.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// A parsed ZooKeeper connect string: <c>host[:port][,host[:port]...][/chroot]</c>, as the Java client
/// accepts it. The port defaults to 2181; IPv6 literals go in brackets (<c>[::1]:2181</c>).
/// </summary>
public sealed record ZooKeeperConnectString
{
    /// <summary>ZooKeeper's well-known client port.</summary>
    public const int DefaultPort = 2181;

    private ZooKeeperConnectString(IReadOnlyList<ZooKeeperServer> servers, string? chroot)
    {
        Servers = servers;
        Chroot = chroot;
    }

    /// <summary>The servers, in the order given; the client tries them in turn.</summary>
    public IReadOnlyList<ZooKeeperServer> Servers { get; }

    /// <summary>The chroot every path is relative to, or <see langword="null"/> for none.</summary>
    public string? Chroot { get; }

    public static ZooKeeperConnectString Parse(string connectString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectString);
        string? chroot = null;
        var hosts = connectString.Trim();
        var slash = hosts.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            chroot = hosts[slash..];
            hosts = hosts[..slash];
            ZooKeeperPath.Validate(chroot, nameof(connectString));
            if (chroot == "/")
            {
                chroot = null;
            }
        }

        var servers = new List<ZooKeeperServer>();
        foreach (var part in hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            servers.Add(ParseServer(part, connectString));
        }

        if (servers.Count == 0)
        {
            throw new ArgumentException(
                $"The ZooKeeper connect string '{connectString}' names no server; expected host:port[,host:port...][/chroot]",
                nameof(connectString));
        }

        return new ZooKeeperConnectString(servers, chroot);
    }

    public override string ToString() => string.Join(',', Servers) + (Chroot ?? string.Empty);

    private static ZooKeeperServer ParseServer(string part, string connectString)
    {
        string host;
        string? port = null;
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"The ZooKeeper server '{part}' in '{connectString}' has an unclosed '['", nameof(connectString));
            }

            host = part[1..close];
            var rest = part[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw new ArgumentException($"The ZooKeeper server '{part}' in '{connectString}' is not [ipv6]:port", nameof(connectString));
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = part.LastIndexOf(':');
            if (colon >= 0 && part.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new ArgumentException(
                    $"The ZooKeeper server '{part}' in '{connectString}' looks like a bare IPv6 address; write it as [address]:port",
                    nameof(connectString));
            }

            host = colon >= 0 ? part[..colon] : part;
            port = colon >= 0 ? part[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"The ZooKeeper server '{part}' in '{connectString}' has no host", nameof(connectString));
        }

        var portNumber = DefaultPort;
        if (port is not null
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new ArgumentException(
                $"The ZooKeeper server '{part}' in '{connectString}' has the invalid port '{port}' (expected 1-65535)", nameof(connectString));
        }

        return new ZooKeeperServer(host, portNumber);
    }
}
