using System.Text.Json;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;
using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorEvent = Mesos.V1.Executor.Event;
using SchedulerCall = Mesos.V1.Scheduler.Call;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Mesos.Protocol.Tests.Encoding;

/// <summary>
/// JSON shaped like the examples of upstream docs/executor-http-api.md and docs/scheduler-http-api.md (our own
/// values, same structure and quirks: escaped slashes, extra keys, tabs) parses into the expected messages, and our
/// output has the exact snake_case shape Mesos reads.
/// </summary>
public sealed class GoldenJsonTests
{
    [Fact]
    public void ExecutorSubscribe_WithUnacknowledgedTasksAndUpdates_Parses()
    {
        const string json = """
            {
              "type": "SUBSCRIBE",
              "executor_id": {"value": "exec-1"},
              "framework_id": {"value": "fw-1"},
              "subscribe": {
                "unacknowledged_tasks": [
                  {"name": "t", "task_id": {"value": "task-1"}, "agent_id": {"value": "agent-1"},
                   "command": {"value": "ls", "arguments": ["-l", "\/tmp"]}}
                ],
                "unacknowledged_updates": [
                  {"framework_id": {"value": "fw-1"},
                   "status": {"task_id": {"value": "task-1"}, "state": "TASK_RUNNING", "source": "SOURCE_EXECUTOR",
                              "uuid": "AAECAwQFBgcICQoLDA0ODw=="}}
                ]
              }
            }
            """;

        var call = MesosCodec.ParseJson<ExecutorCall>(json);

        Assert.Equal(ExecutorCall.Types.Type.Subscribe, call.Type);
        Assert.Equal("exec-1", call.ExecutorId.Value);
        var task = Assert.Single(call.Subscribe.UnacknowledgedTasks);
        Assert.Equal(["-l", "/tmp"], task.Command.Arguments);
        var update = Assert.Single(call.Subscribe.UnacknowledgedUpdates);
        Assert.Equal(TaskState.TaskRunning, update.Status.State);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), update.Status.Uuid.ToByteArray());
    }

    [Fact]
    public void ExecutorEvents_ShapedLikeTheDocs_Parse()
    {
        // The docs' LAUNCH example carries a "framework_info" that Launch does not have: it must be skipped.
        var launch = MesosCodec.ParseJson<ExecutorEvent>("""
            {"type": "LAUNCH", "launch": {"framework_info": {"id": {"value": "fw"}, "user": "u", "name": "n"},
              "task": {"name": "sleepy", "task_id": {"value": "t1"}, "agent_id": {"value": "a1"},
                       "command": {"value": "sleep", "arguments": ["100"]}}}}
            """);
        Assert.Equal(ExecutorEvent.Types.Type.Launch, launch.Type);
        Assert.Equal("sleepy", launch.Launch.Task.Name);

        var group = MesosCodec.ParseJson<ExecutorEvent>("""
            {"type": "LAUNCH_GROUP", "launch_group": {"task_group" : {"tasks" : [
              {"name": "g", "task_id": {"value": "t2"}, "agent_id": {"value": "a1"}, "command": {"value": "sleep"}}]}}}
            """);
        Assert.Equal("t2", Assert.Single(group.LaunchGroup.TaskGroup.Tasks).TaskId.Value);

        var kill = MesosCodec.ParseJson<ExecutorEvent>("""{"type" : "KILL", "kill" : {"task_id" : {"value" : "t1"}}}""");
        Assert.Equal("t1", kill.Kill.TaskId.Value);

        var ack = MesosCodec.ParseJson<ExecutorEvent>("""{"type":"ACKNOWLEDGED","acknowledged":{"task_id":{"value":"t1"},"uuid":"c2FtcGxl"}}""");
        Assert.Equal("sample", ack.Acknowledged.Uuid.ToStringUtf8());

        var message = MesosCodec.ParseJson<ExecutorEvent>("""{"type" : "MESSAGE", "message" : {"data" : "aGVsbG8gZXhlY3V0b3I="}}""");
        Assert.Equal("hello executor", message.Message.Data.ToStringUtf8());

        Assert.Equal(ExecutorEvent.Types.Type.Shutdown, MesosCodec.ParseJson<ExecutorEvent>("""{"type" : "SHUTDOWN"}""").Type);

        var error = MesosCodec.ParseJson<ExecutorEvent>("""{"type" : "ERROR", "error" : {"message" : "Unrecoverable"}}""");
        Assert.Equal("Unrecoverable", error.Error.Message);
    }

    [Fact]
    public void SchedulerOffersEvent_WithTabsAndIntegerScalars_Parses()
    {
        // The docs show "offers": [...]; the real master (shared/mesos-recordings) nests it: "offers": {"offers": [...]}.
        var offers = MesosCodec.ParseJson<SchedulerEvent>("""
            {
              "type"	: "OFFERS",
              "offers"	: {"offers": [
                {"allocation_info": {"role": "eng"}, "id": {"value": "o1"}, "framework_id": {"value": "fw"},
                 "agent_id": {"value": "a1"}, "hostname": "agent.local",
                 "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 2}, "role": "*"},
                               {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": "32000"}]}}],
                 "attributes": [{"name": "os", "type": "TEXT", "text": {"value": "debian"}}],
                 "executor_ids": [{"value": "e1"}]}
              ]}
            }
            """);

        var offer = Assert.Single(offers.Offers.Offers_);
        Assert.Equal(2.0, offer.Resources[0].Scalar.Value);
        Assert.Equal(32000UL, offer.Resources[1].Ranges.Range[0].End);
        Assert.Equal("debian", offer.Attributes[0].Text.Value);
    }

    [Fact]
    public void SchedulerAccept_WithLimitsMap_Parses()
    {
        var accept = MesosCodec.ParseJson<SchedulerCall>("""
            {"framework_id": {"value": "fw"}, "type": "ACCEPT",
             "accept": {"offer_ids": [{"value": "o1"}],
               "operations": [{"type": "LAUNCH", "launch": {"task_infos": [
                 {"name": "My Task", "task_id": {"value": "t"}, "agent_id": {"value": "a"},
                  "executor": {"command": {"shell": true, "value": "sleep 1000"}, "executor_id": {"value": "e"}},
                  "resources": [{"allocation_info": {"role": "eng"}, "name": "cpus", "role": "*", "type": "SCALAR", "scalar": {"value": 1.0}}],
                  "limits": {"cpus": {"value": "Infinity"}, "mem": {"value": 512.0}}}]}}],
               "filters": {"refuse_seconds": 5.0}}}
            """);

        var task = Assert.Single(Assert.Single(accept.Accept.Operations).Launch.TaskInfos);
        Assert.True(double.IsPositiveInfinity(task.Limits["cpus"].Value));
        Assert.Equal(512.0, task.Limits["mem"].Value);
        Assert.Equal(5.0, accept.Accept.Filters.RefuseSeconds);
    }

    [Fact]
    public void OurExecutorCalls_HaveTheExactSnakeCaseShapeMesosReads()
    {
        var update = new ExecutorCall
        {
            ExecutorId = new ExecutorID { Value = "e" },
            FrameworkId = new FrameworkID { Value = "f" },
            Type = ExecutorCall.Types.Type.Update,
            Update = new ExecutorCall.Types.Update
            {
                Status = new TaskStatus
                {
                    TaskId = new TaskID { Value = "t" },
                    State = TaskState.TaskRunning,
                    Source = TaskStatus.Types.Source.Executor,
                    ExecutorId = new ExecutorID { Value = "e" },
                    Uuid = ByteString.CopyFrom(new byte[16]),
                    Timestamp = 1.5,
                },
            },
        };
        AssertJson(update, """
            {"executor_id":{"value":"e"},"framework_id":{"value":"f"},"type":"UPDATE",
             "update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR",
                                 "executor_id":{"value":"e"},"timestamp":1.5,"uuid":"AAAAAAAAAAAAAAAAAAAAAA=="}}}
            """);

        var subscribe = new ExecutorCall
        {
            ExecutorId = new ExecutorID { Value = "e" },
            FrameworkId = new FrameworkID { Value = "f" },
            Type = ExecutorCall.Types.Type.Subscribe,
            Subscribe = new ExecutorCall.Types.Subscribe(),
        };
        // Mesos rejects a SUBSCRIBE without the "subscribe" object, so an empty one must still be written.
        AssertJson(subscribe, """{"executor_id":{"value":"e"},"framework_id":{"value":"f"},"type":"SUBSCRIBE","subscribe":{}}""");

        var message = new ExecutorCall
        {
            ExecutorId = new ExecutorID { Value = "e" },
            FrameworkId = new FrameworkID { Value = "f" },
            Type = ExecutorCall.Types.Type.Message,
            Message = new ExecutorCall.Types.Message { Data = ByteString.CopyFromUtf8("hi") },
        };
        AssertJson(message, """{"executor_id":{"value":"e"},"framework_id":{"value":"f"},"type":"MESSAGE","message":{"data":"aGk="}}""");
    }

    [Fact]
    public void OurSchedulerCalls_HaveTheExactSnakeCaseShapeMesosReads()
    {
        var accept = new SchedulerCall
        {
            FrameworkId = new FrameworkID { Value = "f" },
            Type = SchedulerCall.Types.Type.Accept,
            Accept = new SchedulerCall.Types.Accept
            {
                OfferIds = { new OfferID { Value = "o" } },
                Operations =
                {
                    new Offer.Types.Operation
                    {
                        Type = Offer.Types.Operation.Types.Type.Launch,
                        Launch = new Offer.Types.Operation.Types.Launch
                        {
                            TaskInfos =
                            {
                                new TaskInfo
                                {
                                    Name = "n",
                                    TaskId = new TaskID { Value = "t" },
                                    AgentId = new AgentID { Value = "a" },
                                    Resources =
                                    {
                                        new Resource
                                        {
                                            Name = "ports",
                                            Type = Value.Types.Type.Ranges,
                                            Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = 31000, End = 31001 } } },
                                        },
                                    },
                                    Limits = { ["cpus"] = new Value.Types.Scalar { Value = double.PositiveInfinity } },
                                },
                            },
                        },
                    },
                },
                Filters = new Filters { RefuseSeconds = 3600 },
            },
        };
        AssertJson(accept, """
            {"framework_id":{"value":"f"},"type":"ACCEPT","accept":{"offer_ids":[{"value":"o"}],
              "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},
                "resources":[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31001}]}}],
                "limits":{"cpus":{"value":"Infinity"}}}]}}],
              "filters":{"refuse_seconds":3600}}}
            """);

        var decline = new SchedulerCall
        {
            FrameworkId = new FrameworkID { Value = "f" },
            Type = SchedulerCall.Types.Type.Decline,
            Decline = new SchedulerCall.Types.Decline { OfferIds = { new OfferID { Value = "o" } }, Filters = new Filters { RefuseSeconds = 5 } },
        };
        AssertJson(decline, """{"framework_id":{"value":"f"},"type":"DECLINE","decline":{"offer_ids":[{"value":"o"}],"filters":{"refuse_seconds":5}}}""");
    }

    private static void AssertJson(IMessage message, string expected)
    {
        var actual = MesosCodec.Encode(message, MesosEncoding.Json);
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement), $"expected {expected}\nactual   {System.Text.Encoding.UTF8.GetString(actual)}");
    }
}
