using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// Keeps the scheduler state in one JSON file, rewritten atomically (temporary file, flush, rename) on every change so a
/// crash leaves either the old or the new state, never half of one.
/// </summary>
public sealed class FileStateStore : ISchedulerStateStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileContent? _content;

    public FileStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    /// <summary>The state file.</summary>
    public string FilePath => _path;

    public async ValueTask<SchedulerState> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await ReadAsync(cancellationToken).ConfigureAwait(false);
            return new SchedulerState(content.FrameworkId, content.Tasks.Values.OrderBy(t => t.TaskId, StringComparer.Ordinal).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask SaveFrameworkIdAsync(string? frameworkId, CancellationToken cancellationToken = default) =>
        UpdateAsync(c => c.FrameworkId = frameworkId, cancellationToken);

    public ValueTask SaveTaskAsync(StoredTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return UpdateAsync(c => c.Tasks[task.TaskId] = task, cancellationToken);
    }

    public ValueTask RemoveTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        UpdateAsync(c => c.Tasks.Remove(taskId), cancellationToken);

    private async ValueTask UpdateAsync(Action<FileContent> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await ReadAsync(cancellationToken).ConfigureAwait(false);
            change(content);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await JsonSerializer.SerializeAsync(stream, content, Json, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<FileContent> ReadAsync(CancellationToken cancellationToken)
    {
        if (_content is not null)
        {
            return _content;
        }

        if (!File.Exists(_path))
        {
            return _content = new FileContent();
        }

        try
        {
            await using var stream = File.OpenRead(_path);
            _content = await JsonSerializer.DeserializeAsync<FileContent>(stream, Json, cancellationToken).ConfigureAwait(false) ?? new FileContent();
            _content.Tasks = new Dictionary<string, StoredTask>(_content.Tasks, StringComparer.Ordinal);
            return _content;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The scheduler state file {_path} is not valid JSON ({ex.Message}); fix or delete it (deleting registers a new framework)", ex);
        }
    }

    private sealed class FileContent
    {
        public string? FrameworkId { get; set; }

        public Dictionary<string, StoredTask> Tasks { get; set; } = new(StringComparer.Ordinal);
    }
}
