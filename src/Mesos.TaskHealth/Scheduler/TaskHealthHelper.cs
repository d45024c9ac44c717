using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.TaskHealth;

/// <summary>
/// Scheduler-side HTTP health checking of running tasks, with the semantics of mesos-framework's
/// taskHealthHelper: each round probes every running task (filtered by name) at its host and
/// <c>ports[PortIndex]</c>; a success sets <c>checkFailCount = 0</c>, <c>healthy = true</c> and the additional
/// properties; a failure increments <c>checkFailCount</c>, and when it reaches the grace count marks the task
/// <c>healthy = false</c>, sets the additional properties that ask for it and raises the error event, which is
/// raised again on every later failure until a success.
/// </summary>
public sealed class TaskHealthHelper : IAsyncDisposable
{
    private readonly ITaskSource _source;
    private readonly TaskHealthHelperOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient? _httpClient;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates a helper; nothing runs until <see cref="Start"/> or <see cref="CheckRunningTasksAsync"/>.</summary>
    /// <param name="source">Where the launched tasks come from.</param>
    /// <param name="options">The seed's options; validated here.</param>
    /// <param name="properties">Where per-task properties go; share one store between helpers like the seed's task objects. A new one unless given.</param>
    /// <param name="timeProvider">The clock for the interval and the timeout.</param>
    /// <param name="logger">A logger.</param>
    /// <param name="httpClient">The client for the probes; the shared pooled one unless given.</param>
    public TaskHealthHelper(
        ITaskSource source,
        TaskHealthHelperOptions options,
        TaskPropertyStore? properties = null,
        TimeProvider? timeProvider = null,
        ILogger<TaskHealthHelper>? logger = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _source = source;
        _options = options;
        Properties = properties ?? new TaskPropertyStore();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _httpClient = httpClient;
    }

    /// <summary>The options in effect.</summary>
    public TaskHealthHelperOptions Options => _options;

    /// <summary>The per-task properties (<c>checkFailCount</c>, <c>healthy</c> under the prefix, and the additional ones).</summary>
    public TaskPropertyStore Properties { get; }

    /// <summary>True between <see cref="Start"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _stop is not null;
            }
        }
    }

    /// <summary>
    /// Starts periodic checking (the seed's <c>setupHealthCheck</c>): the first round runs one interval from
    /// now, like the seed's <c>setInterval</c>, and each next one an interval after the previous round ended.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The health check is already running; call StopAsync first");
            }

            _stop = new CancellationTokenSource();
            _loop = RunAsync(_stop.Token);
        }
    }

    /// <summary>Stops periodic checking (the seed's <c>stopHealthCheck</c>) and waits for a round in flight to end.</summary>
    public async ValueTask StopAsync()
    {
        CancellationTokenSource? stop;
        Task loop;
        lock (_gate)
        {
            stop = _stop;
            loop = _loop;
            _stop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => StopAsync();

    /// <summary>
    /// One round (the seed's <c>checkRunningInstances</c>): probes every eligible task concurrently, each under
    /// the timeout, and returns when all are judged and every error callback has completed.
    /// </summary>
    public async Task CheckRunningTasksAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyCollection<HealthCheckedTask> tasks;
        try
        {
            tasks = await _source.GetTasksAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HelperTaskSourceFailed(_logger, ex);
            return;
        }

        ForgetVanishedTasks(tasks);
        var checks = new List<Task>();
        foreach (var task in tasks)
        {
            if (IsEligible(task, out var port))
            {
                checks.Add(CheckTaskAsync(task, port, cancellationToken));
            }
        }

        Log.HelperRound(_logger, checks.Count, _options.PropertyPrefix);
        await Task.WhenAll(checks).ConfigureAwait(false);
    }

    private bool IsEligible(HealthCheckedTask task, out int port)
    {
        port = 0;
        if (!task.IsRunning || string.IsNullOrEmpty(task.Host) || task.Ports is null || _options.PortIndex >= task.Ports.Count)
        {
            return false;
        }

        if (_options.TaskNameFilter is { } filter && !filter.IsMatch(task.Name ?? ""))
        {
            return false;
        }

        port = task.Ports[_options.PortIndex];
        return port is > 0 and <= 65535;
    }

    private void ForgetVanishedTasks(IReadOnlyCollection<HealthCheckedTask> tasks)
    {
        var present = new HashSet<string>(tasks.Select(t => t.TaskId), StringComparer.Ordinal);
        foreach (var taskId in Properties.TaskIds)
        {
            if (!present.Contains(taskId))
            {
                Properties.Remove(taskId);
            }
        }
    }

    private async Task CheckTaskAsync(HealthCheckedTask task, int port, CancellationToken cancellationToken)
    {
        var probe = new HttpProbe(
            new HttpProbeOptions
            {
                Url = BuildUrl(task.Host!, port),
                AcceptedStatusCodes = _options.StatusCodes,
                BodyCheck = _options.CheckBodyFunction is { } check
                    ? BodyCheck.Predicate(body => CheckBody(check, task, body), "checkBodyFunction")
                    : null,
            },
            _httpClient);
        var result = await probe.ProbeAsync(_options.Timeout, _time, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ProbeOutcome.Healthy)
        {
            SetCheckSucceeded(task);
            return;
        }

        if (result.Outcome == ProbeOutcome.Unhealthy)
        {
            await SetCheckFailedAsync(task, result).ConfigureAwait(false);
        }
    }

    private void SetCheckSucceeded(HealthCheckedTask task) =>
        Properties.Update(task.TaskId, properties =>
        {
            properties[_options.CheckFailCountProperty] = 0;
            properties[_options.HealthyProperty] = true;
            foreach (var property in _options.AdditionalProperties)
            {
                properties[property.Name] = !property.Inverse;
            }

            return true;
        });

    private async Task SetCheckFailedAsync(HealthCheckedTask task, ProbeResult result)
    {
        // Marked unhealthy exactly when the count reaches the grace count; the event repeats while the
        // task stays marked unhealthy (the seed's "healthy === false" branch).
        var threshold = Math.Max(1, _options.GraceCount);
        var (count, raise, marked, snapshot) = Properties.Update(task.TaskId, properties =>
        {
            var failures = (properties.TryGetValue(_options.CheckFailCountProperty, out var value) && value is int n ? n : 0) + 1;
            properties[_options.CheckFailCountProperty] = failures;
            var markNow = failures == threshold;
            if (markNow)
            {
                properties[_options.HealthyProperty] = false;
                foreach (var property in _options.AdditionalProperties)
                {
                    if (property.SetUnhealthy)
                    {
                        properties[property.Name] = property.Inverse;
                    }
                }
            }

            var alreadyUnhealthy = properties.TryGetValue(_options.HealthyProperty, out var healthy) && healthy is false;
            return (failures, markNow || alreadyUnhealthy, markNow, new Dictionary<string, object>(properties, StringComparer.Ordinal));
        });

        if (marked)
        {
            Log.HelperTaskUnhealthy(_logger, task.TaskId, count, _options.PropertyPrefix, result.Message);
        }
        else
        {
            Log.HelperCheckFailed(_logger, task.TaskId, count, _options.PropertyPrefix, result.Message);
        }

        if (raise && _options.OnError is { } onError)
        {
            try
            {
                await onError(new TaskUnhealthyEvent(_options.EffectiveErrorEvent, task, count, result, snapshot)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HelperErrorCallbackFailed(_logger, _options.EffectiveErrorEvent, task.TaskId, ex);
            }
        }
    }

    private Uri BuildUrl(string host, int port)
    {
        var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return new Uri($"http://{bracketed}:{port}{_options.Url}", UriKind.Absolute);
    }

    private bool CheckBody(Func<HealthCheckedTask, string, bool> check, HealthCheckedTask task, string body)
    {
        try
        {
            return check(task, body);
        }
        catch (Exception ex)
        {
            Log.HelperBodyCheckFailed(_logger, task.TaskId, ex);
            return false;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                if (_options.Interval > TimeSpan.Zero)
                {
                    await Task.Delay(_options.Interval, _time, stop).ConfigureAwait(false);
                }
                else
                {
                    stop.ThrowIfCancellationRequested();
                    await Task.Yield();
                }

                await CheckRunningTasksAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
