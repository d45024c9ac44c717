using BenchmarkDotNet.Attributes;
using V1 = Mesos.V1;

namespace Mesos.Scheduler.Lite.Bench;

/// <summary>
/// 1,000 offers × 1,000 pending tasks (goal ≤ 50 ms, no task skipped). Baseline: the seed's algorithm, corrected — for
/// each offer, walk every pending task with floating-point arithmetic, no roles, no ports ranges, one offer at a time.
/// </summary>
[MemoryDiagnoser]
public class OfferMatchingBenchmarks
{
    private V1.Offer[] _offers = [];
    private LaunchRequest[] _requests = [];

    [Params(1000)]
    public int Offers { get; set; }

    [Params(1000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _offers = Enumerable.Range(0, Offers).Select(i =>
        {
            var offer = new V1.Offer
            {
                Id = new V1.OfferID { Value = $"o{i}" },
                AgentId = new V1.AgentID { Value = $"a{i}" },
                FrameworkId = new V1.FrameworkID { Value = "f" },
                Hostname = $"h{i}",
            };
            offer.Resources.Add(new V1.Resource { Name = "cpus", Type = V1.Value.Types.Type.Scalar, Scalar = new() { Value = 2 }, Role = "*" });
            offer.Resources.Add(new V1.Resource { Name = "mem", Type = V1.Value.Types.Type.Scalar, Scalar = new() { Value = 2048 }, Role = "*" });
            var ports = new V1.Resource { Name = "ports", Type = V1.Value.Types.Type.Ranges, Ranges = new(), Role = "*" };
            ports.Ranges.Range.Add(new V1.Value.Types.Range { Begin = 31000, End = 32000 });
            offer.Resources.Add(ports);
            return offer;
        }).ToArray();
        // Mixed sizes: 0.5 and 1.5 cpus, so offers fill unevenly and every task has to look past full agents.
        _requests = Enumerable.Range(0, Tasks).Select(i => new LaunchRequest
        {
            Id = $"t{i}",
            Resources = new ResourceRequirements { Cpus = i % 2 == 0 ? 0.5 : 1.5, Mem = 256, Ports = 1 },
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int SeedStyleFirstFit()
    {
        var placed = 0;
        var pending = _requests.ToList();
        foreach (var offer in _offers)
        {
            var cpus = offer.Resources.Where(r => r.Name == "cpus").Sum(r => r.Scalar.Value);
            var mem = offer.Resources.Where(r => r.Name == "mem").Sum(r => r.Scalar.Value);
            for (var i = 0; i < pending.Count; i++)
            {
                var task = pending[i];
                if (task.Resources.Cpus <= cpus && task.Resources.Mem <= mem)
                {
                    cpus -= task.Resources.Cpus;
                    mem -= task.Resources.Mem;
                    pending.RemoveAt(i);
                    i--; // the seed forgot this: every other task was skipped
                    placed++;
                }
            }
        }

        return placed;
    }

    [Benchmark]
    public int OfferMatcherMatch()
    {
        var result = OfferMatcher.Match(_offers, _requests);
        if (result.Unplaced.Count != 0)
        {
            throw new InvalidOperationException($"{result.Unplaced.Count} task(s) skipped");
        }

        return result.Launches.Count;
    }
}
