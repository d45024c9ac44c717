using Google.Protobuf;
using Mesos.Executor.Configuration;
using ExecutorID = Mesos.V1.ExecutorID;
using FrameworkID = Mesos.V1.FrameworkID;
using Call = Mesos.V1.Executor.Call;
using TaskInfo = Mesos.V1.TaskInfo;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Client;

/// <summary>Builders for the executor API's calls, named after the protocol verbs.</summary>
public static class ExecutorCalls
{
    /// <summary>SUBSCRIBE, always with a <c>subscribe</c> object (the agent rejects one without), carrying what is unacknowledged.</summary>
    public static Call Subscribe(ExecutorSettings settings, IEnumerable<TaskInfo>? unacknowledgedTasks = null, IEnumerable<TaskStatus>? unacknowledgedUpdates = null)
    {
        var subscribe = new Call.Types.Subscribe();
        if (unacknowledgedTasks is not null)
        {
            subscribe.UnacknowledgedTasks.AddRange(unacknowledgedTasks);
        }

        if (unacknowledgedUpdates is not null)
        {
            subscribe.UnacknowledgedUpdates.AddRange(unacknowledgedUpdates.Select(s => new Call.Types.Update { Status = s }));
        }

        var call = Base(settings, Call.Types.Type.Subscribe);
        call.Subscribe = subscribe;
        return call;
    }

    /// <summary>UPDATE with <paramref name="status"/> as given (see <c>MesosExecutorClient.UpdateAsync</c> for the filled-in version).</summary>
    public static Call Update(ExecutorSettings settings, TaskStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var call = Base(settings, Call.Types.Type.Update);
        call.Update = new Call.Types.Update { Status = status };
        return call;
    }

    /// <summary>MESSAGE: bytes for the scheduler.</summary>
    public static Call Message(ExecutorSettings settings, ReadOnlySpan<byte> data)
    {
        var call = Base(settings, Call.Types.Type.Message);
        call.Message = new Call.Types.Message { Data = ByteString.CopyFrom(data) };
        return call;
    }

    /// <summary>HEARTBEAT: keeps proxies from closing an idle connection; the agent answers 202.</summary>
    public static Call Heartbeat(ExecutorSettings settings) => Base(settings, Call.Types.Type.Heartbeat);

    private static Call Base(ExecutorSettings settings, Call.Types.Type type)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Call
        {
            ExecutorId = new ExecutorID { Value = settings.ExecutorId },
            FrameworkId = new FrameworkID { Value = settings.FrameworkId },
            Type = type,
        };
    }
}
