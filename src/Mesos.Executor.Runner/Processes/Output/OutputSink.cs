namespace Mesos.Executor.Runner.Processes.Output;

/// <summary>
/// Where a child's stdout or stderr goes. <see cref="Write"/> is called on the process I/O loop thread and
/// must never block: buffer, or drop.
/// </summary>
internal abstract class OutputSink
{
    /// <summary>Copies <paramref name="data"/> (the span is reused after the call). Never blocks.</summary>
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>End of the stream; no more writes.</summary>
    public abstract void Complete();

    /// <summary>Completes when everything accepted has been written out after <see cref="Complete"/>.</summary>
    public abstract Task Completion { get; }

    /// <summary>Bytes dropped because the sink could not keep up.</summary>
    public virtual long DroppedBytes => 0;
}
