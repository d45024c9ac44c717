using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mesos.Executor.Runner.Processes.Output;

/// <summary>
/// Writes one output stream to <c>name</c>, rotating to <c>name.1</c> ... <c>name.N</c> before the file
/// would exceed <see cref="OutputOptions.MaxFileBytes"/>. Writes from the I/O loop only copy into a bounded
/// in-memory queue; a thread-pool worker writes the queue to disk. When the queue is full (the disk is slower
/// than the child) the bytes are dropped and, as soon as there is room again, a line
/// <c>[mesos-executor: dropped N bytes of output ...]</c> marks the gap. The child never waits for the disk.
/// </summary>
internal sealed class RotatingFileSink : OutputSink
{
    private readonly string _path;
    private readonly OutputOptions _options;
    private readonly Lock _lock = new();
    private readonly Queue<(byte[] Buffer, int Length, bool Pooled)> _queue = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _queuedBytes;
    private long _droppedPending;
    private long _droppedTotal;
    private bool _completed;
    private bool _writerRunning;

    // Writer state: only the (single) running writer touches these.
    private Stream? _file;
    private long _fileLength;

    public RotatingFileSink(string directory, string fileName, OutputOptions options)
    {
        _path = Path.Combine(directory, fileName);
        _options = options;
    }

    public string FilePath => _path;

    public override Task Completion => _completion.Task;

    public override long DroppedBytes
    {
        get
        {
            lock (_lock)
            {
                return _droppedTotal;
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_completed || data.IsEmpty)
            {
                return;
            }

            if (_queuedBytes + data.Length > _options.MaxBufferedBytes)
            {
                _droppedPending += data.Length;
                _droppedTotal += data.Length;
                return;
            }

            EnqueueDropMarker();
            var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(buffer);
            _queue.Enqueue((buffer, data.Length, true));
            _queuedBytes += data.Length;
            StartWriter();
        }
    }

    public override void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            EnqueueDropMarker();
            StartWriter();
        }
    }

    private void EnqueueDropMarker()
    {
        if (_droppedPending == 0)
        {
            return;
        }

        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"\n[mesos-executor: dropped {_droppedPending} bytes of output: the disk did not keep up]\n");
        var marker = Encoding.UTF8.GetBytes(text);
        _queue.Enqueue((marker, marker.Length, false));
        _queuedBytes += marker.Length;
        _droppedPending = 0;
    }

    private void StartWriter()
    {
        if (!_writerRunning)
        {
            _writerRunning = true;
            ThreadPool.UnsafeQueueUserWorkItem(static sink => sink.Drain(), this, preferLocal: false);
        }
    }

    private void Drain()
    {
        while (true)
        {
            (byte[] Buffer, int Length, bool Pooled) item;
            lock (_lock)
            {
                if (!_queue.TryDequeue(out item))
                {
                    _writerRunning = false;
                    if (!_completed)
                    {
                        return;
                    }

                    CloseFile();
                    _completion.TrySetResult();
                    return;
                }

                _queuedBytes -= item.Length;
            }

            try
            {
                WriteToFile(item.Buffer.AsSpan(0, item.Length));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Disk full, directory gone, ...: lose this chunk, say so in the file if it comes back.
                CloseFile();
                lock (_lock)
                {
                    _droppedPending += item.Length;
                    _droppedTotal += item.Length;
                }
            }
            finally
            {
                if (item.Pooled)
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
        }
    }

    private void WriteToFile(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            _file ??= OpenFile();
            int chunk = data.Length;
            if (_options.MaxFileBytes is long max)
            {
                long room = max - _fileLength;
                if (room <= 0)
                {
                    Rotate();
                    continue;
                }

                chunk = (int)Math.Min(chunk, room);
            }

            _file.Write(data[..chunk]);
            _fileLength += chunk;
            data = data[chunk..];
        }
    }

    private Stream OpenFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var stream = _options.OpenFile?.Invoke(_path)
            ?? new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _fileLength = stream.CanSeek ? stream.Length : 0;
        return stream;
    }

    private void Rotate()
    {
        CloseFile();
        int keep = _options.MaxRotatedFiles;
        if (keep == 0)
        {
            File.Delete(_path);
            return;
        }

        File.Delete($"{_path}.{keep}");
        for (int i = keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{_path}.{i}"))
            {
                File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
            }
        }

        File.Move(_path, $"{_path}.1");
    }

    private void CloseFile()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // nothing more can be done for this file
        }

        _file = null;
        _fileLength = 0;
    }
}
