namespace Mesos.Protocol.Encoding;

/// <summary>The two encodings the Mesos v1 HTTP APIs speak, chosen by Content-Type (calls) and Accept (events).</summary>
public enum MesosEncoding
{
    /// <summary><c>application/json</c>: proto field names, enums by name, bytes as base64.</summary>
    Json,

    /// <summary><c>application/x-protobuf</c>: the protobuf binary encoding.</summary>
    Protobuf,
}
