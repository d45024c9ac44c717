namespace Mesos.Executor.Runner.Processes.Output;

/// <summary>Where and how much of a process's output is kept on disk.</summary>
internal sealed record OutputOptions
{
    /// <summary>The directory the files go to (typically the task's sandbox). Created if missing.</summary>
    public required string Directory { get; init; }

    /// <summary>File name for stdout; rotated copies get ".1", ".2", ... appended.</summary>
    public string StdoutFileName { get; init; } = "stdout";

    /// <summary>File name for stderr.</summary>
    public string StderrFileName { get; init; } = "stderr";

    /// <summary>A file is rotated before it would grow beyond this many bytes; null for no limit.</summary>
    public long? MaxFileBytes { get; init; } = Defaults.MaxOutputFileBytes;

    /// <summary>Rotated files kept; the oldest beyond this number is deleted. 0 keeps only the current file.</summary>
    public int MaxRotatedFiles { get; init; } = Defaults.MaxRotatedFiles;

    /// <summary>Bytes held in memory per stream while the disk is behind; more output is dropped and a marker line says how much.</summary>
    public int MaxBufferedBytes { get; init; } = Defaults.MaxBufferedOutputBytes;

    /// <summary>Test seam: opens a file for appending (default: a <see cref="FileStream"/>).</summary>
    internal Func<string, Stream>? OpenFile { get; init; }

    /// <summary>Checks the settings; the message names the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("OutputOptions.Directory must name a directory", nameof(Directory));
        }

        if (MaxFileBytes is <= 0)
        {
            throw new ArgumentException($"OutputOptions.MaxFileBytes must be positive (was {MaxFileBytes})", nameof(MaxFileBytes));
        }

        if (MaxRotatedFiles < 0)
        {
            throw new ArgumentException($"OutputOptions.MaxRotatedFiles must not be negative (was {MaxRotatedFiles})", nameof(MaxRotatedFiles));
        }

        if (MaxBufferedBytes <= 0)
        {
            throw new ArgumentException($"OutputOptions.MaxBufferedBytes must be positive (was {MaxBufferedBytes})", nameof(MaxBufferedBytes));
        }
    }
}
