using System.Text.Json.Serialization;

namespace Mesos.ZooKeeper.Detection;

/// <summary>
/// The parts of Mesos' <c>MasterInfo</c> that a leading master publishes as JSON in its
/// <c>json.info_NNNNNNNNNN</c> node (see <c>src/master/detector</c> and <c>mesos.proto</c> upstream).
/// Unknown fields are ignored.
/// </summary>
public sealed record MesosMasterInfo
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>
    /// The IPv4 address as a uint32 in network byte order (the first octet in the lowest byte), as old
    /// masters publish it; superseded by <see cref="Address"/>.
    /// </summary>
    [JsonPropertyName("ip")]
    public uint? Ip { get; init; }

    [JsonPropertyName("port")]
    public int? Port { get; init; }

    /// <summary>The libprocess PID, <c>master@ip:port</c>.</summary>
    [JsonPropertyName("pid")]
    public string? Pid { get; init; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("address")]
    public MesosMasterAddress? Address { get; init; }
}

/// <summary>The <c>Address</c> message of <c>MasterInfo</c>.</summary>
public sealed record MesosMasterAddress
{
    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    [JsonPropertyName("ip")]
    public string? Ip { get; init; }

    [JsonPropertyName("port")]
    public int? Port { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MesosMasterInfo))]
internal sealed partial class MesosMasterInfoJsonContext : JsonSerializerContext;
