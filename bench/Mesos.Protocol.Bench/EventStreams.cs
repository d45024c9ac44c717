using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;
using Mesos.V1;
using SchedulerEvent = Mesos.V1.Scheduler.Event;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Protocol.Bench;

/// <summary>
/// A realistic scheduler event stream: status UPDATE events and OFFERS events of 50 offers each (cpus, mem, disk,
/// port ranges, attributes, allocation info, agent URL), as a master sends them, framed with RecordIO.
/// </summary>
internal static class EventStreams
{
    public const int Updates = 500;
    public const int OfferEvents = 50;
    public const int OffersPerEvent = 50;
    public const int EventCount = Updates + OfferEvents;

    public static byte[] Build(MesosEncoding encoding)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < EventCount; i++)
        {
            // One OFFERS event after every ten updates.
            var ev = i % 11 == 10 ? Offers(i) : Update(i);
            RecordIOWriter.Write(output, MesosCodec.Encode(ev, encoding));
        }

        return output.WrittenSpan.ToArray();
    }

    private static SchedulerEvent Update(int i) => new()
    {
        Type = SchedulerEvent.Types.Type.Update,
        Update = new SchedulerEvent.Types.Update
        {
            Status = new TaskStatus
            {
                TaskId = new TaskID { Value = $"web-{i}.4f6c1d2a-9b7e-4e5f-8a1b-{i:D12}" },
                State = (i % 3) switch { 0 => TaskState.TaskRunning, 1 => TaskState.TaskStarting, _ => TaskState.TaskFinished },
                Source = TaskStatus.Types.Source.Executor,
                Reason = TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated,
                Message = "Task is healthy after 3 consecutive checks",
                AgentId = new AgentID { Value = "1b998fcc-69ee-4484-beb6-6796be262ddd-S0" },
                ExecutorId = new ExecutorID { Value = $"exec-{i}" },
                Timestamp = 1795238238.6511095 + i,
                Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
                Healthy = true,
                ContainerStatus = new ContainerStatus
                {
                    ContainerId = new ContainerID { Value = Guid.NewGuid().ToString() },
                    NetworkInfos = { new NetworkInfo { IpAddresses = { new NetworkInfo.Types.IPAddress { IpAddress = "10.0.3.17" } } } },
                    ExecutorPid = (uint)(4000 + i),
                },
                Labels = new Labels { Labels_ = { new Label { Key = "app", Value = "web" }, new Label { Key = "tier", Value = "frontend" } } },
            },
        },
    };

    private static SchedulerEvent Offers(int i)
    {
        var offers = new SchedulerEvent.Types.Offers();
        for (var o = 0; o < OffersPerEvent; o++)
        {
            var agent = $"1b998fcc-69ee-4484-beb6-6796be262ddd-S{o}";
            offers.Offers_.Add(new Offer
            {
                Id = new OfferID { Value = $"1b998fcc-69ee-4484-beb6-6796be262ddd-O{(i * 100) + o}" },
                FrameworkId = new FrameworkID { Value = "1b998fcc-69ee-4484-beb6-6796be262ddd-0001" },
                AgentId = new AgentID { Value = agent },
                Hostname = $"agent-{o}.dc1.example.net",
                Url = new URL { Scheme = "http", Address = new Address { Hostname = $"agent-{o}.dc1.example.net", Ip = $"10.0.{o}.5", Port = 5051 }, Path = "/slave(1)" },
                AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" },
                Resources =
                {
                    Scalar("cpus", 7.5),
                    Scalar("mem", 30208),
                    Scalar("disk", 102400),
                    new Resource
                    {
                        Name = "ports",
                        Type = Value.Types.Type.Ranges,
                        Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = 31000, End = 31999 }, new Value.Types.Range { Begin = 33000, End = 33500 } } },
                        AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" },
                    },
                },
                Attributes =
                {
                    new Mesos.V1.Attribute { Name = "rack", Type = Value.Types.Type.Text, Text = new Value.Types.Text { Value = $"r{o % 8}" } },
                    new Mesos.V1.Attribute { Name = "zone", Type = Value.Types.Type.Text, Text = new Value.Types.Text { Value = "eu-1a" } },
                },
            });
        }

        return new SchedulerEvent { Type = SchedulerEvent.Types.Type.Offers, Offers = offers };
    }

    private static Resource Scalar(string name, double value) => new()
    {
        Name = name,
        Type = Value.Types.Type.Scalar,
        Scalar = new Value.Types.Scalar { Value = value },
        AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" },
    };
}
