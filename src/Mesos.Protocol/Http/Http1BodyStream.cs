using System.Globalization;

namespace Mesos.Protocol.Http;

/// <summary>
/// The body of an HTTP/1.1 answer read straight from its connection: chunked, of a declared length, or up to the
/// end of the connection. Owns the connection (disposing closes it). It goes on with the buffer the head was read
/// into, where the first bytes of the body may already be.
/// </summary>
internal sealed class Http1BodyStream : Stream
{
    private const int MaxChunkLine = 1024;

    private readonly Stream _connection;
    private readonly byte[] _buffer;
    private readonly bool _chunked;
    private int _start;
    private int _end;
    private long _remaining; // bytes left in the current chunk, or of the declared length; -1: until the connection ends
    private bool _chunkEndPending; // a chunk's data was delivered, its CRLF not yet read (it is read on the next call,
                                   // so an event is never held back waiting for bytes that follow it)
    private bool _done;

    /// <param name="connection">The connection, positioned after the bytes already in <paramref name="buffer"/>.</param>
    /// <param name="buffer">The buffer the head was read into (at least a few KiB: it is reused for the body).</param>
    /// <param name="start">Where the body's bytes start in <paramref name="buffer"/>.</param>
    /// <param name="end">Where the bytes read so far end in <paramref name="buffer"/>.</param>
    /// <param name="chunked">Transfer-Encoding: chunked (<paramref name="length"/> is then ignored).</param>
    /// <param name="length">Content-Length, or -1 when the body ends with the connection.</param>
    public Http1BodyStream(Stream connection, byte[] buffer, int start, int end, bool chunked, long length)
    {
        _connection = connection;
        _buffer = buffer;
        _start = start;
        _end = end;
        _chunked = chunked;
        _remaining = chunked ? 0 : length;
        _done = !chunked && length == 0;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (!_done)
        {
            if (_chunked && _remaining == 0)
            {
                if (_chunkEndPending)
                {
                    await ExpectLineAsync(cancellationToken).ConfigureAwait(false);
                    _chunkEndPending = false;
                }

                await ReadChunkHeaderAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_remaining < 0)
                {
                    _done = true; // a body without a declared length ends with the connection
                    return 0;
                }

                throw new IOException("The connection closed inside the answer's body");
            }

            var available = _end - _start;
            var count = (int)Math.Min(destination.Length, _remaining < 0 ? available : Math.Min(available, _remaining));
            _buffer.AsSpan(_start, count).CopyTo(destination.Span);
            _start += count;
            if (_remaining > 0)
            {
                _remaining -= count;
                if (_remaining == 0)
                {
                    _done = !_chunked;
                    _chunkEndPending = _chunked;
                }
            }

            return count;
        }

        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async ValueTask ReadChunkHeaderAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var semicolon = line.IndexOf(';', StringComparison.Ordinal); // chunk extensions are allowed and ignored
        var sizeText = (semicolon >= 0 ? line[..semicolon] : line).Trim();
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw new IOException($"Invalid chunk size line in the answer's body: '{Printable(line)}'");
        }

        if (size > 0)
        {
            _remaining = size;
            return;
        }

        // Last chunk: skip the trailers up to the empty line.
        while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
        {
        }

        _done = true;
    }

    private async ValueTask ExpectLineAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line.Length != 0)
        {
            throw new IOException($"Chunk data not followed by CRLF in the answer's body: '{Printable(line)}'");
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = newline > 0 && _buffer[_start + newline - 1] == '\r' ? newline - 1 : newline;
                var line = System.Text.Encoding.ASCII.GetString(_buffer, _start, length);
                _start += newline + 1;
                return line;
            }

            if (_end - _start > MaxChunkLine)
            {
                throw new IOException($"A chunk line of the answer's body is longer than {MaxChunkLine} bytes");
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The connection closed inside the answer's chunk framing");
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _connection.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private static string Printable(string line) => line.Length <= 40 ? line : line[..40] + "...";
}
