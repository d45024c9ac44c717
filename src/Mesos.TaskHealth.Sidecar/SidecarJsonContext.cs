using System.Text.Json.Serialization;

namespace Mesos.TaskHealth.Sidecar;

/// <summary>Source-generated JSON (no reflection), so the sidecar trims and compiles ahead of time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SidecarConfig))]
[JsonSerializable(typeof(ListeningLine))]
[JsonSerializable(typeof(TransitionLine))]
[JsonSerializable(typeof(StatusBody))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
