namespace Mesos.Protocol.RecordIO;

/// <summary>What was wrong with a RecordIO stream.</summary>
public enum RecordIOErrorKind
{
    /// <summary>The length line held something other than decimal digits before its newline.</summary>
    InvalidLength,

    /// <summary>The length line ran past the longest allowed number of digits without a newline.</summary>
    LengthLineTooLong,

    /// <summary>A record announced a length of zero. Mesos never writes one, so it marks a broken peer.</summary>
    ZeroLength,

    /// <summary>A record announced more bytes than the configured maximum record size.</summary>
    RecordTooLarge,

    /// <summary>The stream ended in the middle of a length line or a record.</summary>
    Truncated,
}
