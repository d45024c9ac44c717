using System.Buffers;
using System.Text.Json;
using Google.Protobuf;
using Mesos.Protocol.Encoding.Json;

namespace Mesos.Protocol.Encoding;

/// <summary>
/// Encodes and decodes Mesos messages in either encoding. JSON follows what the Mesos agent and master read and
/// write: proto field names, enums by name, bytes as base64, 64-bit integers as numbers. Reading JSON is lenient
/// the way proto2 is: camelCase names too, unknown fields and unknown enum names skipped, integers as numbers or
/// strings.
/// </summary>
public static class MesosCodec
{
    /// <summary>Encodes <paramref name="message"/> as a new array.</summary>
    public static byte[] Encode(IMessage message, MesosEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(message);
        return encoding switch
        {
            MesosEncoding.Protobuf => message.ToByteArray(),
            MesosEncoding.Json => ProtoJsonWriter.ToUtf8Bytes(message),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown Mesos encoding"),
        };
    }

    /// <summary>Encodes <paramref name="message"/> into <paramref name="output"/>.</summary>
    public static void Encode(IMessage message, MesosEncoding encoding, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        switch (encoding)
        {
            case MesosEncoding.Protobuf:
                var size = message.CalculateSize();
                message.WriteTo(output.GetSpan(size)[..size]);
                output.Advance(size);
                break;
            case MesosEncoding.Json:
                using (var writer = ProtoJsonWriter.CreateWriter(output))
                {
                    ProtoJsonWriter.Write(writer, message);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown Mesos encoding");
        }
    }

    /// <summary>The message as Mesos-style JSON text (for logs, tests and tools).</summary>
    public static string ToJson(IMessage message) => System.Text.Encoding.UTF8.GetString(ProtoJsonWriter.ToUtf8Bytes(message));

    /// <summary>Decodes a <typeparamref name="T"/> from <paramref name="data"/>.</summary>
    /// <exception cref="MesosDecodeException">The bytes are not a valid <typeparamref name="T"/> in that encoding.</exception>
    public static T Decode<T>(ReadOnlySpan<byte> data, MesosEncoding encoding)
        where T : IMessage<T>, new() => Decode<T>(new ReadOnlySequence<byte>(data.ToArray()), encoding);

    /// <inheritdoc cref="Decode{T}(ReadOnlySpan{byte}, MesosEncoding)"/>
    public static T Decode<T>(byte[] data, MesosEncoding encoding)
        where T : IMessage<T>, new() => Decode<T>(new ReadOnlySequence<byte>(data), encoding);

    /// <inheritdoc cref="Decode{T}(ReadOnlySpan{byte}, MesosEncoding)"/>
    public static T Decode<T>(in ReadOnlySequence<byte> data, MesosEncoding encoding)
        where T : IMessage<T>, new()
    {
        return encoding switch
        {
            MesosEncoding.Protobuf => DecodeProtobuf<T>(data),
            MesosEncoding.Json => ProtoJsonReader.Decode<T>(data),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown Mesos encoding"),
        };
    }

    /// <summary>Parses JSON text into a <typeparamref name="T"/> (same rules as <see cref="Decode{T}(byte[], MesosEncoding)"/>).</summary>
    public static T ParseJson<T>(string json)
        where T : IMessage<T>, new() => Decode<T>(System.Text.Encoding.UTF8.GetBytes(json), MesosEncoding.Json);

    /// <summary>
    /// The paths of required fields that are not set (<c>executor_id</c>, <c>subscribe.framework_info</c>), as Mesos
    /// lists them when it rejects a call with "Missing required fields". Empty when the message is complete.
    /// </summary>
    public static IReadOnlyList<string> MissingRequiredFields(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var missing = new List<string>();
        RequiredFields.Collect(message, string.Empty, missing);
        return missing;
    }

    private static T DecodeProtobuf<T>(in ReadOnlySequence<byte> data)
        where T : IMessage<T>, new()
    {
        try
        {
            return ParserCache<T>.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MesosDecodeException($"Invalid protobuf for {new T().Descriptor.FullName}: {ex.Message}", ex);
        }
    }

    internal static class ParserCache<T>
        where T : IMessage<T>, new()
    {
        public static readonly MessageParser<T> Parser = new(() => new T());
    }
}
