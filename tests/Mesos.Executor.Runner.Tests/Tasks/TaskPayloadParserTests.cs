using System.Text;
using System.Text.Json;
using Mesos.Executor.Runner.Tasks;

namespace Mesos.Executor.Runner.Tests.Tasks;

public sealed class TaskPayloadParserTests
{
    private static TaskSpec Parse(string json) => TaskPayloadParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_MinimalForm_OneShellProcessNamedMain()
    {
        var spec = Parse("""{"command": "sleep 100"}""");

        var process = Assert.Single(spec.Processes);
        Assert.True(spec.IsSingleProcess);
        Assert.Equal("main", process.Name);
        Assert.Equal("sleep 100", process.Command);
        Assert.True(process.Shell);
        Assert.True(process.Essential);
        Assert.Equal(RestartKind.Never, process.Restart.Kind);
    }

    [Fact]
    public void Parse_ShellFalse_ArgumentsAreTheWholeArgv()
    {
        var spec = Parse("""{"command": "/usr/bin/python3", "shell": false, "arguments": ["python3", "-m", "http.server"], "environment": {"A": "1"}}""");

        var process = Assert.Single(spec.Processes);
        Assert.False(process.Shell);
        Assert.Equal(["python3", "-m", "http.server"], process.Arguments);
        Assert.Equal("1", process.Environment["A"]);
        Assert.Equal(["python3", "-m", "http.server"], process.ToCommand().Argv);
    }

    [Fact]
    public void Parse_FullForm_ProcessesWithRestartAndMergedEnvironment()
    {
        var spec = Parse("""
            {"environment": {"MODE": "prod", "SHARED": "top"},
             "processes": [
               {"name": "web", "command": "./web", "environment": {"SHARED": "web"},
                "restart": {"policy": "on-failure", "max_restarts": 3, "backoff": {"initial": "250ms", "max": 10, "factor": 1.5}}},
               {"name": "metrics", "command": "./exporter", "essential": false, "restart": {"policy": "always"}}]}
            """);

        Assert.False(spec.IsSingleProcess);
        var web = spec.Processes[0];
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "prod", ["SHARED"] = "web" }, web.Environment);
        Assert.Equal(
            new RestartPolicy { Kind = RestartKind.OnFailure, MaxRestarts = 3, InitialBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(10), BackoffFactor = 1.5 },
            web.Restart);
        var metrics = spec.Processes[1];
        Assert.False(metrics.Essential);
        Assert.Equal(RestartKind.Always, metrics.Restart.Kind);
        Assert.Null(metrics.Restart.MaxRestarts);
        Assert.Equal("top", metrics.Environment["SHARED"]);
    }

    [Theory]
    [InlineData("", "TaskInfo.data is empty; expected a JSON object such as {\"command\": \"./server\"}")]
    [InlineData("null", "TaskInfo.data is null; expected a JSON object such as {\"command\": \"./server\"}")]
    [InlineData("sleep 100", "TaskInfo.data is not valid JSON (line 1, byte 1): ")]
    [InlineData("[1]", "TaskInfo.data at $: expected a JSON object such as {\"command\": \"./server\"}")]
    [InlineData("{}", "TaskInfo.data: neither 'command' (one process) nor 'processes' (several) is given; ")]
    [InlineData("""{"command": " "}""", "TaskInfo.data at $.command: the command is empty")]
    [InlineData("""{"command": "x", "shel": false}""", "TaskInfo.data at $: unknown field 'shel'")]
    [InlineData("""{"command": "x", "shell": "no"}""", "TaskInfo.data at $.shell: expected true or false")]
    [InlineData("""{"command": "x", "arguments": ["x"]}""", "TaskInfo.data at $.arguments: arguments are only used with \"shell\": false")]
    [InlineData("""{"command": "x", "environment": {"A": 1}}""", "TaskInfo.data at $.environment.A: expected a string")]
    [InlineData("""{"command": "x", "processes": []}""", "TaskInfo.data at $.command: give either a top-level command or a 'processes' list, not both")]
    [InlineData("""{"processes": []}""", "TaskInfo.data at $.processes: the list is empty")]
    [InlineData("""{"processes": [{"command": "x"}]}""", "TaskInfo.data at $.processes[0].name: every process needs a name")]
    [InlineData("""{"processes": [{"name": "a b", "command": "x"}]}""", "TaskInfo.data at $.processes[0].name: 'a b' is not a valid process name")]
    [InlineData("""{"processes": [{"name": "a", "command": "x"}, {"name": "a", "command": "y"}]}""", "TaskInfo.data at $.processes[1].name: the name 'a' is used twice")]
    [InlineData("""{"processes": [{"name": "a"}]}""", "TaskInfo.data at $.processes[0].command: process 'a' has no command")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"policy": "sometimes"}}]}""", "TaskInfo.data at $.processes[0].restart.policy: 'sometimes' is not a restart policy; use \"never\", \"on-failure\" or \"always\"")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"max_restarts": -1}}]}""", "TaskInfo.data at $.processes[0].restart.max_restarts: -1 is negative")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"max_restarts": 1.5}}]}""", "TaskInfo.data at $.processes[0].restart.max_restarts: expected a whole number")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"backoff": {"initial": "5 seconds"}}}]}""", "TaskInfo.data at $.processes[0].restart.backoff.initial: expected a duration such as \"5secs\"")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"backoff": {"initial": "10secs", "max": "1secs"}}}]}""", "TaskInfo.data at $.processes[0].restart.backoff.max: 00:00:01 is shorter than backoff.initial (00:00:10)")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "restart": {"backoff": {"factor": 0.5}}}]}""", "TaskInfo.data at $.processes[0].restart.backoff.factor: 0.5 must be a number of at least 1")]
    [InlineData("""{"processes": [{"name": "a", "command": "x", "unknown": 1}]}""", "TaskInfo.data at $.processes[0]: unknown field 'unknown'")]
    public void Parse_BadPayload_MessageSaysWhatAndWhere(string json, string expectedStart)
    {
        var error = Assert.Throws<TaskPayloadException>(() => Parse(json));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RecordedLaunchEvents_TheirDataIsTheMinimalForm()
    {
        // Real LAUNCH events from a Mesos 1.12 agent (../shared/mesos-recordings): TaskInfo.data = {"command": ...}.
        var commands = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Recordings, "executor"), "json-*.events.recordio"))
        {
            foreach (var record in RecordIO(File.ReadAllBytes(file)))
            {
                using var document = JsonDocument.Parse(record);
                if (document.RootElement.GetProperty("type").GetString() == "LAUNCH"
                    && document.RootElement.GetProperty("launch").GetProperty("task").TryGetProperty("data", out var data))
                {
                    var spec = TaskPayloadParser.Parse(data.GetBytesFromBase64());
                    commands.Add(Assert.Single(spec.Processes).Command);
                }
            }
        }

        Assert.Contains("sleep 100", commands);
    }

    [Theory]
    [InlineData("5secs", 5000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5mins", 90000)]
    [InlineData("2hrs", 7200000)]
    [InlineData("1days", 86400000)]
    [InlineData("100us", 0.1)]
    public void MesosDuration_Parses(string text, double milliseconds)
    {
        Assert.True(MesosDuration.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("secs")]
    [InlineData("-1secs")]
    [InlineData("5 secs")]
    public void MesosDuration_RejectsOtherText(string text) => Assert.False(MesosDuration.TryParse(text, out _));

    private static IEnumerable<byte[]> RecordIO(byte[] bytes)
    {
        int position = 0;
        while (position < bytes.Length)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', position);
            int length = int.Parse(Encoding.ASCII.GetString(bytes, position, newline - position), System.Globalization.CultureInfo.InvariantCulture);
            yield return bytes[(newline + 1)..(newline + 1 + length)];
            position = newline + 1 + length;
        }
    }
}
