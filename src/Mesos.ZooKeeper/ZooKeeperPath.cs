namespace Mesos.ZooKeeper;

/// <summary>ZooKeeper path rules (upstream's <c>PathUtils.validatePath</c>) and chroot handling.</summary>
internal static class ZooKeeperPath
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="path"/> is absolute, has no empty,
    /// <c>.</c> or <c>..</c> segment, no trailing slash (except a sequential create's, which ends in the
    /// prefix of the generated name) and no control characters.
    /// </summary>
    public static void Validate(string path, string parameterName, bool sequential = false)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0 || path[0] != '/')
        {
            throw new ArgumentException($"The ZooKeeper path '{path}' must start with '/'", parameterName);
        }

        if (path.Length == 1)
        {
            return;
        }

        var checkedPath = sequential && path.EndsWith('/') ? path[..^1] + "x" : path;
        if (checkedPath.EndsWith('/'))
        {
            throw new ArgumentException($"The ZooKeeper path '{path}' must not end with '/'", parameterName);
        }

        foreach (var segment in checkedPath[1..].Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"The ZooKeeper path '{path}' has an empty, '.' or '..' segment", parameterName);
            }
        }

        foreach (var c in path)
        {
            if (c == '\0' || char.IsControl(c) || (c >= '\ud800' && c <= '\uf8ff') || (c >= '\ufff0' && c <= '\uffff'))
            {
                throw new ArgumentException($"The ZooKeeper path '{path}' contains a character ZooKeeper rejects (U+{(int)c:X4})", parameterName);
            }
        }
    }

    /// <summary>The server-side path of a client path.</summary>
    public static string Prepend(string? chroot, string path) =>
        chroot is null ? path : path == "/" ? chroot : chroot + path;

    /// <summary>The client path of a server-side path (watch notifications, created names).</summary>
    public static string Strip(string? chroot, string serverPath)
    {
        if (chroot is null)
        {
            return serverPath;
        }

        if (serverPath == chroot)
        {
            return "/";
        }

        return serverPath.StartsWith(chroot + "/", StringComparison.Ordinal) ? serverPath[chroot.Length..] : serverPath;
    }
}
