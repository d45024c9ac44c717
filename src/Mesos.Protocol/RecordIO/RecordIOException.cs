namespace Mesos.Protocol.RecordIO;

/// <summary>A RecordIO stream could not be framed; <see cref="Kind"/> says how it was malformed.</summary>
public sealed class RecordIOException : FormatException
{
    public RecordIOException(RecordIOErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public RecordIOErrorKind Kind { get; }
}
