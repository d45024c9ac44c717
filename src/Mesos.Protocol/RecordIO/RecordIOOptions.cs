namespace Mesos.Protocol.RecordIO;

/// <summary>Limits for reading a RecordIO stream.</summary>
public sealed record RecordIOOptions
{
    /// <summary>16 MiB: far above any event Mesos sends (an OFFERS event with hundreds of offers is well under 1 MiB).</summary>
    public const int DefaultMaxRecordSize = 16 * 1024 * 1024;

    public static RecordIOOptions Default { get; } = new();

    /// <summary>
    /// The largest record accepted. A length prefix above it fails at once, before any of the record is
    /// buffered, so a hostile peer cannot make the reader allocate.
    /// </summary>
    public int MaxRecordSize { get; init; } = DefaultMaxRecordSize;

    internal void Validate()
    {
        if (MaxRecordSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordSize), MaxRecordSize, "RecordIOOptions.MaxRecordSize must be at least 1 byte");
        }
    }
}
