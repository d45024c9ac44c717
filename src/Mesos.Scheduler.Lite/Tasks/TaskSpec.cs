namespace Mesos.Scheduler.Lite;

/// <summary>
/// One kind of task the framework keeps running, in <see cref="Instances"/> copies (mesos-framework's <c>tasks</c> entries).
/// Give <see cref="Command"/> for a command task; <see cref="Executor"/> to run under a custom executor (then the command's
/// value travels in <c>TaskInfo.data</c>, see <see cref="ExecutorShipping"/>); <see cref="Group"/> with an executor for a LAUNCH_GROUP.
/// </summary>
public sealed record TaskSpec
{
    public int Instances { get; init; } = 1;

    /// <summary>Lower launches first; specs without a priority come after, by name.</summary>
    public int? Priority { get; init; }

    /// <summary>Whether <see cref="FrameworkScheduler.ScaleAsync"/> may change <see cref="Instances"/>.</summary>
    public bool AllowScaling { get; init; }

    public V1.CommandInfo? Command { get; init; }

    public V1.ContainerInfo? Container { get; init; }

    /// <summary>A custom executor; each task gets its own copy with the task id as executor id.</summary>
    public V1.ExecutorInfo? Executor { get; init; }

    public required ResourceRequirements Resources { get; init; }

    /// <summary>Container ports mapped to the ports taken from the offer, in order (mesos-framework <c>portMappings</c>).</summary>
    public IReadOnlyList<PortMapping> PortMappings { get; init; } = [];

    public V1.HealthCheck? HealthCheck { get; init; }

    public V1.KillPolicy? KillPolicy { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides <see cref="FrameworkSchedulerOptions.RestartStates"/> for this spec.</summary>
    public IReadOnlyList<TaskState>? RestartStates { get; init; }

    /// <summary>Raw <c>TaskInfo.data</c>; with an executor and no data, the command's value becomes <c>{"command": ...}</c>.</summary>
    public Google.Protobuf.ByteString? Data { get; init; }

    /// <summary>Members of a LAUNCH_GROUP (each instance launches them together under <see cref="Executor"/>).</summary>
    public IReadOnlyList<TaskGroupMemberSpec>? Group { get; init; }

    /// <summary>Place only on offers allocated to this role (MULTI_ROLE frameworks).</summary>
    public string? Role { get; init; }

    internal void Validate(string name)
    {
        var owner = $"Tasks[\"{name}\"]";
        if (Instances < 0)
        {
            throw new ArgumentOutOfRangeException(owner, Instances, $"{owner}.Instances must not be negative");
        }

        ArgumentNullException.ThrowIfNull(Resources, owner + ".Resources");
        Resources.Validate(owner + ".Resources");
        if (Group is { Count: > 0 })
        {
            if (Executor is null)
            {
                throw new ArgumentException($"{owner}: a task group (Group) needs an Executor to run its members", owner);
            }

            foreach (var member in Group)
            {
                member.Resources.Validate($"{owner}.Group[\"{member.Name}\"].Resources");
            }
        }
        else if (Command is null && Executor is null)
        {
            throw new ArgumentException($"{owner}: set Command (a command task) or Executor (a task run by a custom executor)", owner);
        }
    }
}

/// <summary>A task of a LAUNCH_GROUP: its own name suffix, command and resources.</summary>
public sealed record TaskGroupMemberSpec(string Name, string Command, ResourceRequirements Resources);

/// <summary>A container port to map to the n-th port taken from the offer (<c>protocol</c> tcp or udp).</summary>
public sealed record PortMapping(uint Port, string Protocol = "tcp");
