using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Mesos.Scheduler.Lite;

/// <summary>
/// Builds what it takes to run tasks under our fetchable executor. A plain LAUNCH task carries the ExecutorInfo and
/// what to run in <c>TaskInfo.data</c> (<c>{"command": "..."}</c>), never a CommandInfo: a real master answers TASK_ERROR
/// "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present". A LAUNCH_GROUP member carries
/// its own command; the group's operation carries the executor.
/// </summary>
public static class ExecutorShipping
{
    /// <summary>An ExecutorInfo (type CUSTOM) whose command fetches the artifact, checks its sha256 when given, and execs it.</summary>
    public static V1.ExecutorInfo CreateExecutorInfo(ExecutorArtifact artifact, string executorId, string? name = null, FrameworkID? frameworkId = null, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(executorId);
        artifact.Validate();
        var info = new V1.ExecutorInfo
        {
            Type = V1.ExecutorInfo.Types.Type.Custom,
            ExecutorId = new ExecutorID { Value = executorId },
            Name = name ?? executorId,
            Command = CreateCommand(artifact),
        };
        if (frameworkId is not null)
        {
            info.FrameworkId = frameworkId.Clone();
        }

        info.Resources.AddRange(ToResources(artifact.Resources, role));
        return info;
    }

    /// <summary>The executor's CommandInfo: one URI (executable, not extracted, cached) and a shell command that verifies and execs it.</summary>
    public static V1.CommandInfo CreateCommand(ExecutorArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.Validate();
        var file = artifact.EffectiveFileName;
        var command = new StringBuilder();
        if (artifact.Sha256 is { } sha)
        {
            var expected = sha.ToLowerInvariant();
            command.Append("echo ").Append(Quote($"{expected}  {file}")).Append(" | sha256sum -c --status - || { echo ")
                .Append(Quote($"{file} does not match its sha256 {expected}")).Append(" >&2; exit 1; }; ");
        }

        command.Append("chmod ug+rx ").Append(Quote(file)).Append(" && exec ").Append(Quote("./" + file));
        foreach (var argument in artifact.Arguments)
        {
            command.Append(' ').Append(Quote(argument));
        }

        var info = new V1.CommandInfo { Shell = true, Value = command.ToString() };
        info.Uris.Add(new V1.CommandInfo.Types.URI
        {
            Value = artifact.Uri.ToString(),
            Executable = true,
            Extract = false,
            Cache = artifact.Cache,
            OutputFile = file,
        });
        if (artifact.Environment.Count > 0)
        {
            info.Environment = new V1.Environment();
            info.Environment.Variables.AddRange(artifact.Environment.Select(e => new V1.Environment.Types.Variable { Name = e.Key, Value = e.Value }));
        }

        return info;
    }

    /// <summary>The payload our executor reads from <c>TaskInfo.data</c>: <c>{"command": "..."}</c>.</summary>
    public static ByteString CreateTaskPayload(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        return ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["command"] = command }));
    }

    /// <summary>A task run by <paramref name="executor"/>: the command travels in <c>data</c>, the task has no CommandInfo.</summary>
    public static V1.TaskInfo CreateTask(string name, string taskId, AgentID agentId, V1.ExecutorInfo executor, string command, IEnumerable<V1.Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(resources);
        var task = new V1.TaskInfo
        {
            Name = name,
            TaskId = new TaskID { Value = taskId },
            AgentId = agentId.Clone(),
            Executor = executor.Clone(),
            Data = CreateTaskPayload(command),
        };
        task.Resources.AddRange(resources);
        return task;
    }

    /// <summary>A member of a task group: it carries its own command; the LAUNCH_GROUP operation carries the executor.</summary>
    public static V1.TaskInfo CreateGroupMember(string name, string taskId, AgentID agentId, string command, IEnumerable<V1.Resource> resources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(resources);
        var task = new V1.TaskInfo
        {
            Name = name,
            TaskId = new TaskID { Value = taskId },
            AgentId = agentId.Clone(),
            Command = new V1.CommandInfo { Shell = true, Value = command },
        };
        task.Resources.AddRange(resources);
        return task;
    }

    /// <summary>A LAUNCH operation.</summary>
    public static V1.Offer.Types.Operation Launch(IEnumerable<V1.TaskInfo> tasks)
    {
        var launch = new V1.Offer.Types.Operation.Types.Launch();
        launch.TaskInfos.AddRange(tasks);
        return new V1.Offer.Types.Operation { Type = V1.Offer.Types.Operation.Types.Type.Launch, Launch = launch };
    }

    /// <summary>A LAUNCH_GROUP operation: <paramref name="executor"/> runs every member.</summary>
    public static V1.Offer.Types.Operation LaunchGroup(V1.ExecutorInfo executor, IEnumerable<V1.TaskInfo> members)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var group = new V1.TaskGroupInfo();
        group.Tasks.AddRange(members);
        return new V1.Offer.Types.Operation
        {
            Type = V1.Offer.Types.Operation.Types.Type.LaunchGroup,
            LaunchGroup = new V1.Offer.Types.Operation.Types.LaunchGroup { Executor = executor.Clone(), TaskGroup = group },
        };
    }

    /// <summary>Unreserved resources for <paramref name="requirements"/> (e.g. an executor's own), allocated to <paramref name="role"/> when given.</summary>
    public static IEnumerable<V1.Resource> ToResources(ResourceRequirements requirements, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        foreach (var (name, value) in new[] { ("cpus", requirements.Cpus), ("mem", requirements.Mem), ("disk", requirements.Disk), ("gpus", requirements.Gpus) })
        {
            if (Scalar.ToFixed(value) > 0)
            {
                var resource = new V1.Resource { Name = name, Type = V1.Value.Types.Type.Scalar, Scalar = new V1.Value.Types.Scalar { Value = Scalar.Normalize(value) } };
                if (role is not null)
                {
                    resource.AllocationInfo = new V1.Resource.Types.AllocationInfo { Role = role };
                }

                yield return resource;
            }
        }
    }

    /// <summary>The scalar requirements an ExecutorInfo declares (its cpus, mem, disk, gpus).</summary>
    public static ResourceRequirements RequirementsOf(IEnumerable<V1.Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource.Type == V1.Value.Types.Type.Scalar && resource.Scalar is { } scalar)
            {
                totals[resource.Name] = totals.GetValueOrDefault(resource.Name) + Scalar.ToFixed(scalar.Value);
            }
        }

        return new ResourceRequirements
        {
            Cpus = Scalar.FromFixed(totals.GetValueOrDefault("cpus")),
            Mem = Scalar.FromFixed(totals.GetValueOrDefault("mem")),
            Disk = Scalar.FromFixed(totals.GetValueOrDefault("disk")),
            Gpus = Scalar.FromFixed(totals.GetValueOrDefault("gpus")),
        };
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
