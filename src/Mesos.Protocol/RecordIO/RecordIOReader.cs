using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Mesos.Protocol.RecordIO;

/// <summary>Turns a record into a value while its bytes are still valid (they are reused afterwards).</summary>
public delegate T RecordDecoder<out T>(in ReadOnlySequence<byte> record);

/// <summary>
/// Reads RecordIO records (<c>&lt;decimal length&gt;\n&lt;bytes&gt;</c>) one at a time from a stream that stays open,
/// whatever way the transport splits or joins them. Memory stays bounded by <see cref="RecordIOOptions.MaxRecordSize"/>:
/// a length above it fails before any of the record is buffered.
/// </summary>
public sealed class RecordIOReader : IAsyncDisposable
{
    // int.MaxValue has 10 digits; a longer length line is malformed whatever the limit.
    private const int MaxLengthDigits = 10;

    private readonly PipeReader _reader;
    private readonly RecordIOOptions _options;
    private readonly bool _ownsReader;
    private long _recordsRead;

    public RecordIOReader(PipeReader reader, RecordIOOptions? options = null)
        : this(reader, options, ownsReader: false)
    {
    }

    private RecordIOReader(PipeReader reader, RecordIOOptions? options, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _options = options ?? RecordIOOptions.Default;
        _options.Validate();
        _ownsReader = ownsReader;
    }

    /// <summary>A reader over <paramref name="stream"/>; disposing the reader completes the pipe, not the stream.</summary>
    public static RecordIOReader Create(Stream stream, RecordIOOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        return new RecordIOReader(pipe, options, ownsReader: true);
    }

    /// <summary>How many whole records were read so far.</summary>
    public long RecordsRead => _recordsRead;

    /// <summary>
    /// Yields each record, decoded by <paramref name="decode"/>, as soon as its last byte arrives.
    /// Ends when the stream ends cleanly between records.
    /// </summary>
    /// <exception cref="RecordIOException">The stream is malformed or ends inside a record.</exception>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(RecordDecoder<T> decode, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decode);
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (TryReadRecord(ref buffer, out var record))
                {
                    var item = decode(record);
                    _recordsRead++;
                    yield return item;
                }

                if (result.IsCompleted && !buffer.IsEmpty)
                {
                    throw Truncated(buffer.Length);
                }
            }
            finally
            {
                // Consumed up to the last whole record; examined everything, so the next read waits for more bytes.
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                yield break;
            }
        }
    }

    /// <summary>Reads the next record as a new array, or null when the stream ended cleanly.</summary>
    public async ValueTask<byte[]?> ReadRecordAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            byte[]? record = null;
            try
            {
                if (TryReadRecord(ref buffer, out var found))
                {
                    record = found.ToArray();
                    _recordsRead++;
                }
                else if (result.IsCompleted && !buffer.IsEmpty)
                {
                    throw Truncated(buffer.Length);
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (record is not null || result.IsCompleted || result.IsCanceled)
            {
                return record;
            }
        }
    }

    private bool TryReadRecord(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> record)
    {
        record = default;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                return false; // the length line is not complete yet
            }

            if (b == (byte)'\n')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new RecordIOException(
                    RecordIOErrorKind.InvalidLength,
                    $"RecordIO length line of record {_recordsRead + 1} holds byte 0x{b:x2} ('{Printable(b)}'); expected decimal digits then a newline");
            }

            if (++digits > MaxLengthDigits)
            {
                throw new RecordIOException(
                    RecordIOErrorKind.LengthLineTooLong,
                    $"RecordIO length line of record {_recordsRead + 1} has more than {MaxLengthDigits} digits");
            }

            length = (length * 10) + (b - '0');
            if (length > _options.MaxRecordSize)
            {
                throw new RecordIOException(
                    RecordIOErrorKind.RecordTooLarge,
                    $"RecordIO record {_recordsRead + 1} announces more than the maximum record size of {_options.MaxRecordSize} bytes");
            }
        }

        if (digits == 0)
        {
            throw new RecordIOException(
                RecordIOErrorKind.InvalidLength, $"RecordIO length line of record {_recordsRead + 1} is empty; expected decimal digits then a newline");
        }

        if (length == 0)
        {
            throw new RecordIOException(
                RecordIOErrorKind.ZeroLength, $"RecordIO record {_recordsRead + 1} has length 0; Mesos never sends empty records");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        record = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(record.End);
        return true;
    }

    private RecordIOException Truncated(long pendingBytes) => new(
        RecordIOErrorKind.Truncated,
        $"The RecordIO stream ended inside record {_recordsRead + 1}: its last {pendingBytes} byte(s) were never completed");

    private static char Printable(byte b) => b is >= 0x20 and < 0x7f ? (char)b : '?';

    public async ValueTask DisposeAsync()
    {
        if (_ownsReader)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
