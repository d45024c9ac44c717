using System.Diagnostics.CodeAnalysis;

namespace Mesos.Protocol.Encoding;

/// <summary>Media types of the Mesos v1 HTTP APIs and their mapping to <see cref="MesosEncoding"/>.</summary>
public static class MesosMediaTypes
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";

    /// <summary>The event stream of a SUBSCRIBE answer (RecordIO framing).</summary>
    public const string RecordIO = "application/recordio";

    public static string Of(MesosEncoding encoding) => encoding switch
    {
        MesosEncoding.Json => Json,
        MesosEncoding.Protobuf => Protobuf,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown Mesos encoding"),
    };

    /// <summary>Reads a Content-Type or Accept value such as <c>application/json; charset=utf-8</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? mediaType, out MesosEncoding encoding)
    {
        encoding = default;
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return false;
        }

        var semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
        if (bare.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            encoding = MesosEncoding.Json;
            return true;
        }

        if (bare.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            encoding = MesosEncoding.Protobuf;
            return true;
        }

        return false;
    }
}
