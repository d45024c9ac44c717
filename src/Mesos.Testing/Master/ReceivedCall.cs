using Mesos.Protocol.Encoding;

namespace Mesos.Testing.Master;

/// <summary>A request the fake master answered: the decoded call (when it decoded), the headers that matter and the answer.</summary>
public sealed record ReceivedCall(
    Mesos.V1.Scheduler.Call? Call,
    string? StreamId,
    string? Authorization,
    MesosEncoding? Encoding,
    int Status,
    string Body);
