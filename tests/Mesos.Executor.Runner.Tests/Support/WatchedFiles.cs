using System.Collections.Concurrent;

namespace Mesos.Executor.Runner.Tests.Support;

/// <summary>An <c>OutputOptions.OpenFile</c> seam that keeps output in memory and lets a test await text in a file.</summary>
internal sealed class WatchedFiles
{
    private readonly ConcurrentDictionary<string, TextSinkStream> _files = new();

    public Stream Open(string path) => _files.GetOrAdd(Path.GetFileName(path), _ => new TextSinkStream());

    public Task WaitForAsync(string fileName, string text) => _files.GetOrAdd(fileName, _ => new TextSinkStream()).Sink.WaitForAsync(text);

    public string Text(string fileName) => _files.TryGetValue(fileName, out var file) ? file.Sink.Text : string.Empty;

    private sealed class TextSinkStream : Stream
    {
        public TextSink Sink { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Sink.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => Sink.Write(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // Restarts reopen the same "file"; keep the text.
        }
    }
}
