namespace Mesos.Scheduler.Lite;

/// <summary>A custom handler that replaces the built-in behaviour for one event (mesos-framework's <c>handlers</c> map).</summary>
public delegate ValueTask SchedulerEventHandler(SchedulerEvent ev, FrameworkScheduler scheduler, CancellationToken cancellationToken);

/// <summary>The task manager's configuration (mesos-framework's Scheduler options).</summary>
public sealed record FrameworkSchedulerOptions
{
    /// <summary>Masters, framework info, auth, reconnection (mesos-framework masterUrl/port, user, role, frameworkName, ...).</summary>
    public required SchedulerClientOptions Client { get; init; }

    /// <summary>What to run, by name.</summary>
    public IReadOnlyDictionary<string, TaskSpec> Tasks { get; init; } = new Dictionary<string, TaskSpec>();

    /// <summary>Terminal states that restart a task. TASK_FINISHED (and TASK_KILLED, a deliberate act) are not in the default.</summary>
    public IReadOnlyList<TaskState> RestartStates { get; init; } =
    [
        TaskState.TaskFailed, TaskState.TaskLost, TaskState.TaskError, TaskState.TaskDropped, TaskState.TaskGone, TaskState.TaskUnknown,
    ];

    /// <summary>Use each spec's <see cref="ResourceRequirements.FixedPorts"/> (mesos-framework <c>staticPorts</c>); false ignores them.</summary>
    public bool StaticPorts { get; init; }

    /// <summary>Name tasks <c>spec-N</c> (mesos-framework <c>serialNumberedTasks</c>); false names them all <c>spec</c>.</summary>
    public bool SerialNumberedTasks { get; init; } = true;

    /// <summary>KILL tasks the framework does not know when the master reports them (mesos-framework <c>killUnknownTasks</c>).</summary>
    public bool KillUnknownTasks { get; init; }

    /// <summary>Delay before a task is restarted, growing with its restart count.</summary>
    public BackoffOptions RestartBackoff { get; init; } = BackoffOptions.Default;

    /// <summary>Restarts per instance before giving up on it; null restarts forever.</summary>
    public int? MaxRestartAttempts { get; init; }

    /// <summary>Refuse filter on declined offers: long, because new work REVIVEs.</summary>
    public TimeSpan DeclineRefuse { get; init; } = Defaults.DeclineRefuse;

    /// <summary>At most one REVIVE per this interval; more requests are coalesced.</summary>
    public TimeSpan ReviveMinimumInterval { get; init; } = Defaults.ReviveMinimumInterval;

    /// <summary>Several offers of one agent in one ACCEPT.</summary>
    public bool CombineOffersPerAgent { get; init; } = true;

    /// <summary>Keeps the framework id and the launched tasks (default: in memory; use <see cref="FileStateStore"/> to survive restarts).</summary>
    public ISchedulerStateStore StateStore { get; init; } = new InMemoryStateStore();

    /// <summary>Per upper-case event name (<c>OFFERS</c>, <c>UPDATE</c>, <c>HEARTBEAT</c>...), a handler that replaces the built-in one.</summary>
    public IReadOnlyDictionary<string, SchedulerEventHandler> Handlers { get; init; } = new Dictionary<string, SchedulerEventHandler>();

    /// <summary>Every event, whether the built-in or a custom handler handles it.</summary>
    public Func<SchedulerEvent, ValueTask>? OnEvent { get; init; }

    /// <summary>mesos-framework <c>task_launched</c>: a task reached TASK_RUNNING for the first time.</summary>
    public Func<ManagedTask, ValueTask>? OnTaskLaunched { get; init; }

    /// <summary>mesos-framework <c>updated_task</c>.</summary>
    public Func<TaskUpdate, ValueTask>? OnTaskUpdated { get; init; }

    /// <summary>mesos-framework <c>removed_task</c>: a task ended and is no longer tracked.</summary>
    public Func<string, ValueTask>? OnTaskRemoved { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Client, nameof(Client));
        Client.Validate();
        foreach (var (name, spec) in Tasks)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('.', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Task spec name '{name}' must be non-empty and contain no '.' (task ids are name-serial.uuid)", nameof(Tasks));
            }

            spec.Validate(name);
        }

        RestartBackoff.Validate("FrameworkSchedulerOptions.RestartBackoff");
        if (MaxRestartAttempts is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRestartAttempts), MaxRestartAttempts, "FrameworkSchedulerOptions.MaxRestartAttempts must be 0 or more (null: unlimited)");
        }

        if (DeclineRefuse < TimeSpan.Zero || ReviveMinimumInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DeclineRefuse), "FrameworkSchedulerOptions.DeclineRefuse and ReviveMinimumInterval must not be negative");
        }

        ArgumentNullException.ThrowIfNull(StateStore, nameof(StateStore));
    }
}
