using System.Net;
using System.Text.Json;

namespace Mesos.ZooKeeper.Detection;

/// <summary>A leading Mesos master, as found in ZooKeeper.</summary>
/// <param name="Host">Where to reach it: the published hostname, else the IP address.</param>
/// <param name="Port">The master's HTTP port.</param>
/// <param name="Node">The ZooKeeper node name it was read from (<c>json.info_0000000003</c>).</param>
/// <param name="Info">Everything the master published.</param>
public sealed record MesosMaster(string Host, int Port, string Node, MesosMasterInfo Info)
{
    /// <summary><c>host:port</c> (IPv6 literals in brackets), ready for <c>http://{Endpoint}/api/v1/scheduler</c>.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public override string ToString() => $"{Endpoint} ({Node})";

    /// <summary>
    /// Reads the JSON a master published. Address preference: <c>address.hostname</c>, <c>address.ip</c>,
    /// <c>hostname</c>, then the legacy uint32 <c>ip</c>; port: <c>address.port</c>, then <c>port</c>.
    /// </summary>
    /// <exception cref="FormatException">The JSON is malformed or names no usable address or port.</exception>
    public static MesosMaster Parse(string node, ReadOnlySpan<byte> json)
    {
        MesosMasterInfo? info;
        try
        {
            info = JsonSerializer.Deserialize(json, MesosMasterInfoJsonContext.Default.MesosMasterInfo);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The Mesos master node {node} does not hold MasterInfo JSON: {exception.Message}", exception);
        }

        if (info is null)
        {
            throw new FormatException($"The Mesos master node {node} holds JSON null instead of MasterInfo");
        }

        var host = FirstNonEmpty(info.Address?.Hostname, info.Address?.Ip, info.Hostname)
            ?? (info.Ip is { } ip and not 0 ? new IPAddress(ip).ToString() : null)
            ?? throw new FormatException($"The MasterInfo in {node} has no address.hostname, address.ip, hostname or ip");
        var port = info.Address?.Port is > 0 and <= 65535 ? info.Address.Port.Value
            : info.Port is > 0 and <= 65535 ? info.Port.Value
            : throw new FormatException($"The MasterInfo in {node} has no valid address.port or port");
        return new MesosMaster(host, port, node, info);
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
