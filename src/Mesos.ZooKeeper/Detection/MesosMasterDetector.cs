using System.Globalization;
using Mesos.ZooKeeper.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.ZooKeeper.Detection;

/// <summary>
/// Finds the leading Mesos master in ZooKeeper: each master contending for leadership creates an
/// ephemeral sequential node <c>json.info_NNNNNNNNNN</c> under the group path holding its MasterInfo as
/// JSON, and the one with the lowest sequence number leads.
/// </summary>
public static class MesosMasterDetector
{
    /// <summary>The prefix of the nodes Mesos masters publish their MasterInfo JSON in.</summary>
    public const string NodePrefix = "json.info_";

    /// <summary>Starts following the leader in the background; see <see cref="IMesosMasterDetector"/>.</summary>
    public static IMesosMasterDetector Start(MesosMasterDetectorOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.Validate();
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        return new MasterDetector(options, url, factory);
    }

    /// <summary>
    /// Reads the current leader once with an existing client: <see langword="null"/> when the group has no
    /// <c>json.info_</c> node (or does not exist).
    /// </summary>
    public static async Task<MesosMaster?> FindLeaderAsync(IZooKeeperClient client, string groupPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        while (true)
        {
            IReadOnlyList<string> children;
            try
            {
                children = await client.GetChildrenAsync(groupPath, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                return null;
            }

            var (leader, retry) = await ReadLeaderAsync(client, groupPath, children, cancellationToken).ConfigureAwait(false);
            if (!retry)
            {
                return leader;
            }
        }
    }

    /// <summary>The <c>json.info_</c> child with the lowest sequence number, or <see langword="null"/>.</summary>
    internal static string? SelectLeaderNode(IEnumerable<string> children)
    {
        string? best = null;
        var bestSequence = long.MaxValue;
        foreach (var child in children)
        {
            if (!child.StartsWith(NodePrefix, StringComparison.Ordinal)
                || !long.TryParse(child.AsSpan(NodePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                continue;
            }

            if (sequence < bestSequence)
            {
                (best, bestSequence) = (child, sequence);
            }
        }

        return best;
    }

    /// <summary>Reads the leader among <paramref name="children"/>; <c>retry</c> when its node vanished meanwhile (list again).</summary>
    internal static async Task<(MesosMaster? Leader, bool Retry)> ReadLeaderAsync(
        IZooKeeperClient client, string groupPath, IReadOnlyList<string> children, CancellationToken cancellationToken)
    {
        var node = SelectLeaderNode(children);
        if (node is null)
        {
            return (null, false);
        }

        var nodePath = groupPath == "/" ? "/" + node : groupPath + "/" + node;
        try
        {
            var data = await client.GetDataAsync(nodePath, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (MesosMaster.Parse(node, data.Data.Span), false);
        }
        catch (NoNodeException)
        {
            return (null, true);
        }
    }
}
