namespace Mesos.ZooKeeper.Client;

internal enum WatchKind
{
    /// <summary>Set by getData, or by exists on an existing node.</summary>
    Data,

    /// <summary>Set by exists on a missing node.</summary>
    Exist,

    /// <summary>Set by getChildren.</summary>
    Child,
}

/// <summary>
/// The client side of one-shot watches, by client path (upstream's <c>ZKWatchManager</c>). The server keeps
/// one watch per path and kind; after a reconnect the client sends every path here with SetWatches so the
/// server restores them (and fires those whose node changed meanwhile).
/// </summary>
internal sealed class WatchManager
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Func<ZooKeeperWatchEvent, ValueTask>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Func<ZooKeeperWatchEvent, ValueTask>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Func<ZooKeeperWatchEvent, ValueTask>>> _child = new(StringComparer.Ordinal);

    public void Add(WatchKind kind, string path, Func<ZooKeeperWatchEvent, ValueTask> watcher)
    {
        lock (_gate)
        {
            var map = Map(kind);
            if (!map.TryGetValue(path, out var list))
            {
                map[path] = list = [];
            }

            list.Add(watcher);
        }
    }

    /// <summary>Removes and returns the watchers an event fires (each watcher once, however it was registered).</summary>
    public IReadOnlyCollection<Func<ZooKeeperWatchEvent, ValueTask>> Trigger(ZooKeeperWatchEventType type, string path)
    {
        var fired = new HashSet<Func<ZooKeeperWatchEvent, ValueTask>>();
        lock (_gate)
        {
            switch (type)
            {
                case ZooKeeperWatchEventType.NodeCreated:
                    Take(_exist, path, fired);
                    break;
                case ZooKeeperWatchEventType.NodeDataChanged:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    break;
                case ZooKeeperWatchEventType.NodeChildrenChanged:
                    Take(_child, path, fired);
                    break;
                case ZooKeeperWatchEventType.NodeDeleted:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    Take(_child, path, fired);
                    break;
            }
        }

        return fired;
    }

    /// <summary>The watched paths of each kind, for SetWatches.</summary>
    public (List<string> Data, List<string> Exist, List<string> Child) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys]);
        }
    }

    /// <summary>Removes every watch, returning each watcher with the path it watched.</summary>
    public List<(Func<ZooKeeperWatchEvent, ValueTask> Watcher, string Path)> DrainAll()
    {
        var all = new List<(Func<ZooKeeperWatchEvent, ValueTask>, string)>();
        lock (_gate)
        {
            foreach (var map in new[] { _data, _exist, _child })
            {
                foreach (var (path, watchers) in map)
                {
                    all.AddRange(watchers.Select(w => (w, path)));
                }

                map.Clear();
            }
        }

        return all;
    }

    private static void Take(
        Dictionary<string, List<Func<ZooKeeperWatchEvent, ValueTask>>> map, string path, HashSet<Func<ZooKeeperWatchEvent, ValueTask>> into)
    {
        if (map.Remove(path, out var watchers))
        {
            into.UnionWith(watchers);
        }
    }

    private Dictionary<string, List<Func<ZooKeeperWatchEvent, ValueTask>>> Map(WatchKind kind) => kind switch
    {
        WatchKind.Data => _data,
        WatchKind.Exist => _exist,
        _ => _child,
    };
}
