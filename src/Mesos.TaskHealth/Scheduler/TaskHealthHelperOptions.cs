using System.Text.RegularExpressions;

namespace Mesos.TaskHealth;

/// <summary>
/// mesos-framework's taskHealthHelper options, same names and defaults. Two fixes: every probe has a
/// <see cref="Timeout"/>, and 0 is accepted for <see cref="Interval"/>, <see cref="GraceCount"/> and
/// <see cref="PortIndex"/> (the seed's <c>option || default</c> turned 0 into the default).
/// </summary>
public sealed record TaskHealthHelperOptions
{
    /// <summary>The path requested on each task, e.g. <c>/health</c> (required).</summary>
    public required string Url { get; init; }

    /// <summary>Pause between rounds, counted from the end of the previous one; 30 s unless set; 0 runs rounds back to back.</summary>
    public TimeSpan Interval { get; init; } = Defaults.HelperInterval;

    /// <summary>Failed checks in a row at which a task is marked unhealthy; 4 unless set; 0 and 1 both mean the first failure.</summary>
    public int GraceCount { get; init; } = Defaults.HelperGraceCount;

    /// <summary>Which of the task's ports is checked; 0 unless set.</summary>
    public int PortIndex { get; init; } = Defaults.HelperPortIndex;

    /// <summary>Prefix of the <c>checkFailCount</c> and <c>healthy</c> properties and of the default error event name.</summary>
    public string PropertyPrefix { get; init; } = "";

    /// <summary>The error event name; <see cref="PropertyPrefix"/> + <c>task_unhealthy</c> unless set.</summary>
    public string? ErrorEvent { get; init; }

    /// <summary>Extra properties set on success and, if asked, on failure; not prefixed.</summary>
    public IReadOnlyList<AdditionalHealthProperty> AdditionalProperties { get; init; } = [];

    /// <summary>Only tasks whose name matches are checked; all unless set.</summary>
    public Regex? TaskNameFilter { get; init; }

    /// <summary>Accepted status codes; only 200 unless set.</summary>
    public StatusCodeSet StatusCodes { get; init; } = StatusCodeSet.SeedDefault;

    /// <summary>Checks the body after the status code passed: given the task and the body, true means healthy.</summary>
    public Func<HealthCheckedTask, string, bool>? CheckBodyFunction { get; init; }

    /// <summary>Longest one check may take (the seed had none); 10 s unless set.</summary>
    public TimeSpan Timeout { get; init; } = Defaults.HelperTimeout;

    /// <summary>The error event: awaited for each failure at or past the grace count.</summary>
    public Func<TaskUnhealthyEvent, ValueTask>? OnError { get; init; }

    /// <summary>The error event name in effect.</summary>
    public string EffectiveErrorEvent => ErrorEvent ?? PropertyPrefix + Defaults.HelperErrorEventSuffix;

    /// <summary>The name of the failure counter property: prefix + <c>checkFailCount</c>.</summary>
    public string CheckFailCountProperty => PropertyPrefix + "checkFailCount";

    /// <summary>The name of the health property: prefix + <c>healthy</c>.</summary>
    public string HealthyProperty => PropertyPrefix + "healthy";

    /// <summary>Throws with a message naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            throw new ArgumentException("TaskHealthHelperOptions.Url must be set: the path to check on each task, e.g. /health", nameof(Url));
        }

        if (!Url.StartsWith('/'))
        {
            throw new ArgumentException($"TaskHealthHelperOptions.Url must be a path starting with '/' (was '{Url}')", nameof(Url));
        }

        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, $"TaskHealthHelperOptions.Interval must not be negative (was {Interval})");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"TaskHealthHelperOptions.Timeout must be positive (was {Timeout})");
        }

        if (GraceCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GraceCount), GraceCount, $"TaskHealthHelperOptions.GraceCount must not be negative (was {GraceCount})");
        }

        if (PortIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PortIndex), PortIndex, $"TaskHealthHelperOptions.PortIndex must not be negative (was {PortIndex})");
        }

        ArgumentNullException.ThrowIfNull(PropertyPrefix, "TaskHealthHelperOptions.PropertyPrefix");
        ArgumentNullException.ThrowIfNull(StatusCodes, "TaskHealthHelperOptions.StatusCodes");
        ArgumentNullException.ThrowIfNull(AdditionalProperties, "TaskHealthHelperOptions.AdditionalProperties");
        if (ErrorEvent is { Length: 0 })
        {
            throw new ArgumentException("TaskHealthHelperOptions.ErrorEvent must not be empty; leave it unset for the default", nameof(ErrorEvent));
        }

        foreach (var property in AdditionalProperties)
        {
            if (string.IsNullOrWhiteSpace(property?.Name))
            {
                throw new ArgumentException("TaskHealthHelperOptions.AdditionalProperties: every entry needs a Name", nameof(AdditionalProperties));
            }
        }
    }
}
