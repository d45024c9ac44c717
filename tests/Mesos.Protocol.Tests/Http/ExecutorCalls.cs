using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorID = Mesos.V1.ExecutorID;
using FrameworkID = Mesos.V1.FrameworkID;

namespace Mesos.Protocol.Tests.Http;

/// <summary>The smallest valid executor calls, for the transport tests.</summary>
internal static class ExecutorCalls
{
    public static ExecutorCall Subscribe() => new()
    {
        ExecutorId = new ExecutorID { Value = "e" },
        FrameworkId = new FrameworkID { Value = "f" },
        Type = ExecutorCall.Types.Type.Subscribe,
        Subscribe = new ExecutorCall.Types.Subscribe(),
    };

    public static ExecutorCall Message() => new()
    {
        ExecutorId = new ExecutorID { Value = "e" },
        FrameworkId = new FrameworkID { Value = "f" },
        Type = ExecutorCall.Types.Type.Message,
        Message = new ExecutorCall.Types.Message { Data = Google.Protobuf.ByteString.CopyFromUtf8("m") },
    };
}
