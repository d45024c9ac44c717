using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using V1 = Mesos.V1;

namespace Mesos.Testing.Master;

/// <summary>
/// The master's read-only endpoints that frameworks and tools poll: <c>/health</c> (200, empty), <c>/version</c> and
/// <c>/state</c> (alias <c>/master/state</c>), a small subset of Mesos 1.12's JSON with its field names
/// (<c>slaves</c>, <c>slave_id</c>, <c>leader_info</c>, resources as a name-to-value object, ports as "[a-b]").
/// See http://mesos.apache.org/documentation/latest/endpoints/master/state/.
/// </summary>
public sealed partial class FakeMaster
{
    private const string MesosVersion = "1.12.0";
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>Answers GET/HEAD of a read-only endpoint; false when the path is not one of them.</summary>
    private async Task<bool> TryServeReadOnlyAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        JsonNode? body;
        switch (request.Path.Value?.TrimEnd('/'))
        {
            case "/health" or "/master/health":
                context.Response.StatusCode = 200;
                return true;
            case "/version":
                body = new JsonObject
                {
                    ["version"] = MesosVersion,
                    ["build_user"] = "mesos-local",
                    ["git_sha"] = string.Empty,
                };
                break;
            case "/state" or "/master/state" or "/state.json" or "/master/state.json":
                body = StateJson();
                break;
            default:
                return false;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsGet(request.Method))
        {
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The master's state as <c>/state</c> shows it: leader, agents (<c>slaves</c>), frameworks with their tasks.</summary>
    public JsonObject StateJson()
    {
        var info = MasterInfo();
        var started = _started.ToUnixTimeMilliseconds() / 1000.0;
        var state = new JsonObject
        {
            ["version"] = MesosVersion,
            ["id"] = info.Id,
            ["pid"] = info.Pid,
            ["hostname"] = info.Hostname,
            ["leader"] = IsLeader ? info.Pid : LeaderAddress is { } leader ? $"master@{leader.Host}:{leader.Port}" : null,
            ["leader_info"] = IsLeader
                ? new JsonObject
                {
                    ["id"] = info.Id,
                    ["pid"] = info.Pid,
                    ["port"] = info.Port,
                    ["hostname"] = info.Hostname,
                    ["version"] = info.Version,
                    ["address"] = new JsonObject { ["hostname"] = info.Hostname, ["ip"] = info.Address.Ip, ["port"] = info.Address.Port },
                }
                : null,
            ["start_time"] = started,
            ["elected_time"] = started,
        };

        var frameworks = new JsonArray();
        var slaves = new JsonArray();
        lock (_lock)
        {
            foreach (var framework in _frameworks.Values)
            {
                var tasks = new JsonArray();
                var completed = new JsonArray();
                foreach (var task in framework.Tasks.Values)
                {
                    (IsTerminal(task.State) ? completed : tasks).Add(TaskJson(framework.Id, task));
                }

                frameworks.Add(new JsonObject
                {
                    ["id"] = framework.Id,
                    ["name"] = framework.Info.Name,
                    ["user"] = framework.Info.User,
                    ["hostname"] = framework.Info.Hostname,
                    ["role"] = framework.Info.HasRole ? framework.Info.Role : "*",
                    ["roles"] = new JsonArray(framework.OfferRoles().Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
                    ["active"] = framework.Stream is not null && !framework.Suppressed,
                    ["connected"] = framework.Stream is not null,
                    ["tasks"] = tasks,
                    ["completed_tasks"] = completed,
                });
            }

            foreach (var agent in _agents)
            {
                slaves.Add(new JsonObject
                {
                    ["id"] = agent.Id,
                    ["pid"] = $"slave(1)@{agent.Hostname}:{agent.Port}",
                    ["hostname"] = agent.Hostname,
                    ["port"] = agent.Port,
                    ["resources"] = ResourcesJson(agent.Total),
                    ["unreserved_resources"] = ResourcesJson(agent.Total.Where(r => r.Role is "*" or "")),
                    ["active"] = true,
                    ["version"] = MesosVersion,
                });
            }
        }

        state["activated_slaves"] = slaves.Count;
        state["deactivated_slaves"] = 0;
        state["frameworks"] = frameworks;
        state["completed_frameworks"] = new JsonArray();
        state["slaves"] = slaves;
        return state;
    }

    private static JsonObject TaskJson(string frameworkId, TaskRecord task)
    {
        var statuses = new JsonArray();
        if (task.LastStatus is { } last)
        {
            statuses.Add(new JsonObject
            {
                ["state"] = StateName(last.State),
                ["timestamp"] = last.Timestamp,
            });
        }

        return new JsonObject
        {
            ["id"] = task.Info.TaskId.Value,
            ["name"] = task.Info.Name,
            ["framework_id"] = frameworkId,
            ["executor_id"] = task.ExecutorId?.Value ?? string.Empty,
            ["slave_id"] = task.AgentId,
            ["state"] = StateName(task.State),
            ["resources"] = ResourcesJson(task.Resources),
            ["statuses"] = statuses,
        };
    }

    /// <summary>TASK_FINISHED, as Mesos spells the enum (the C# name is TaskFinished).</summary>
    private static string StateName(V1.TaskState state) =>
        V1.TaskStatus.Descriptor.FindFieldByName("state").EnumType.FindValueByNumber((int)state)?.Name ?? state.ToString();

    /// <summary>Mesos' summary of resources: scalars summed by name, ranges as "[a-b, c-d]".</summary>
    private static JsonObject ResourcesJson(IEnumerable<V1.Resource> resources)
    {
        var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["cpus"] = 0, ["mem"] = 0, ["disk"] = 0, ["gpus"] = 0 };
        var ranges = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource.Type == V1.Value.Types.Type.Scalar && resource.Scalar is not null)
            {
                scalars[resource.Name] = scalars.GetValueOrDefault(resource.Name) + resource.Scalar.Value;
            }
            else if (resource.Type == V1.Value.Types.Type.Ranges && resource.Ranges is not null)
            {
                if (!ranges.TryGetValue(resource.Name, out var list))
                {
                    ranges[resource.Name] = list = [];
                }

                list.AddRange(resource.Ranges.Range.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Begin}-{r.End}")));
            }
        }

        var json = new JsonObject();
        foreach (var (name, value) in scalars)
        {
            json[name] = value;
        }

        foreach (var (name, list) in ranges)
        {
            json[name] = "[" + string.Join(", ", list) + "]";
        }

        return json;
    }
}
