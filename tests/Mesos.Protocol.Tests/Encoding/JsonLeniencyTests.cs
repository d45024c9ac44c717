using Mesos.Protocol.Encoding;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;
using ExecutorCall = Mesos.V1.Executor.Call;
using ExecutorEvent = Mesos.V1.Executor.Event;

namespace Mesos.Protocol.Tests.Encoding;

public sealed class JsonLeniencyTests
{
    [Fact]
    public void CamelCaseNames_AreReadLikeProtoNames()
    {
        var call = MesosCodec.ParseJson<ExecutorCall>("""{"executorId":{"value":"e"},"frameworkId":{"value":"f"},"type":"SUBSCRIBE","subscribe":{"unacknowledgedTasks":[]}}""");

        Assert.Equal("e", call.ExecutorId.Value);
        Assert.Equal("f", call.FrameworkId.Value);
        Assert.NotNull(call.Subscribe);
    }

    [Fact]
    public void UnknownFields_OfEveryShape_AreSkipped()
    {
        var ev = MesosCodec.ParseJson<ExecutorEvent>("""
            {"future":{"a":[1,{"b":null}],"c":"d"},"type":"KILL","n":1e9,"kill":{"task_id":{"value":"t","x":[]},"y":true}}
            """);

        Assert.Equal("t", ev.Kill.TaskId.Value);
    }

    [Theory]
    [InlineData("1234567890123", 1234567890123L)]
    [InlineData("\"1234567890123\"", 1234567890123L)]
    [InlineData("\"-5\"", -5L)]
    [InlineData("1e3", 1000L)]
    public void Int64_AcceptsNumbersAndStrings(string json, long expected)
    {
        var info = MesosCodec.ParseJson<TimeInfo>($$"""{"nanoseconds":{{json}}}""");

        Assert.Equal(expected, info.Nanoseconds);
    }

    [Fact]
    public void Uint64_AboveInt64_RoundTrips()
    {
        var range = MesosCodec.ParseJson<Value.Types.Range>("""{"begin":"18446744073709551615","end":18446744073709551615}""");

        Assert.Equal(ulong.MaxValue, range.Begin);
        Assert.Equal(ulong.MaxValue, range.End);
        Assert.Contains("18446744073709551615", MesosCodec.ToJson(range), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEnumName_IsDroppedNotFatal()
    {
        var status = MesosCodec.ParseJson<TaskStatus>("""{"task_id":{"value":"t"},"state":"TASK_RUNNING","reason":"REASON_FROM_THE_FUTURE","source":"SOURCE_EXECUTOR"}""");

        Assert.False(status.HasReason);
        Assert.Equal(TaskState.TaskRunning, status.State);
        Assert.Equal(TaskStatus.Types.Source.Executor, status.Source);
    }

    [Fact]
    public void EnumsAsNumbers_AndDoublesAsStrings_AreRead()
    {
        var status = MesosCodec.ParseJson<TaskStatus>("""{"task_id":{"value":"t"},"state":1,"timestamp":"12.5"}""");

        Assert.Equal(TaskState.TaskRunning, status.State);
        Assert.Equal(12.5, status.Timestamp);
    }

    [Fact]
    public void UrlSafeUnpaddedBase64_IsRead()
    {
        var message = MesosCodec.ParseJson<ExecutorEvent.Types.Message>("""{"data":"-_8"}""");

        Assert.Equal(new byte[] { 0xfb, 0xff }, message.Data.ToByteArray());
    }

    [Fact]
    public void EscapedAndNonAsciiStrings_RoundTrip()
    {
        var task = MesosCodec.ParseJson<TaskID>("""{"value":"caf\u00e9 \"q\" \/ 日本 😀"}""");

        Assert.Equal("café \"q\" / 日本 😀", task.Value);
        Assert.Equal(task, MesosCodec.ParseJson<TaskID>(MesosCodec.ToJson(task)));
    }

    [Fact]
    public void NestedMessagesLongerThan127Bytes_KeepTheirContent()
    {
        var value = new string('x', 70_000);
        var status = MesosCodec.ParseJson<TaskStatus>($$$"""{"task_id":{"value":"{{{value}}}"},"state":"TASK_FAILED","labels":{"labels":[{"key":"k","value":"{{{value}}}"}]}}""");

        Assert.Equal(value, status.TaskId.Value);
        Assert.Equal(value, status.Labels.Labels_[0].Value);
    }

    [Theory]
    [InlineData("""{"task_id":"oops"}""", "mesos.v1.TaskStatus.task_id")]
    [InlineData("""{"state":{}}""", "mesos.v1.TaskStatus.state")]
    [InlineData("""{"timestamp":"soon"}""", "mesos.v1.TaskStatus.timestamp")]
    [InlineData("""{"healthy":"maybe"}""", "mesos.v1.TaskStatus.healthy")]
    [InlineData("""{"uuid":"***"}""", "mesos.v1.TaskStatus.uuid")]
    [InlineData("""{"task_id":[{"value":"a"}]}""", "mesos.v1.TaskStatus.task_id")]
    public void WrongTypes_FailWithTheFieldNamed(string json, string field)
    {
        var ex = Assert.Throws<MesosDecodeException>(() => MesosCodec.ParseJson<TaskStatus>(json));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"type\":")]
    [InlineData("{} {}")]
    [InlineData("{\"a\":1,}")]
    public void MalformedJson_FailsWithTheTypeNamed(string json)
    {
        var ex = Assert.Throws<MesosDecodeException>(() => MesosCodec.ParseJson<ExecutorEvent>(json));

        Assert.Contains("mesos.v1.executor.Event", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredFields_AreListedByPathAsMesosDoes()
    {
        var call = MesosCodec.ParseJson<Mesos.V1.Scheduler.Call>("""{"type":"SUBSCRIBE","subscribe":{"frameworkInfo":{"user":"u","name":"n"}}}""");
        var strictlyRead = MesosCodec.ParseJson<Mesos.V1.Scheduler.Call>("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"n"}}}""");

        Assert.Empty(MesosCodec.MissingRequiredFields(call));
        Assert.Equal(["subscribe.framework_info.user"], MesosCodec.MissingRequiredFields(strictlyRead));
    }
}
