using Mesos.Testing.Agent;

namespace Mesos.Bench.Shared;

/// <summary>Start → SUBSCRIBE and idle RSS of an executor, and of the hello-world baseline, measured alternately.</summary>
internal sealed record ExecutorStartRuns(List<double> SubscribeMs, List<double> RssMb, List<double> HelloMs, List<double> HelloRssMb)
{
    /// <summary>
    /// Starts <paramref name="executor"/> the agent's way <paramref name="runs"/> + 1 times, each under a fresh fake agent,
    /// and the trivial program <paramref name="self"/> after each; the first round only warms the disk cache.
    /// </summary>
    public static async Task<ExecutorStartRuns> MeasureAsync(
        string executor, string self, int runs, IReadOnlyDictionary<string, string>? environment = null)
    {
        var measured = new ExecutorStartRuns([], [], [], []);
        for (var i = 0; i <= runs; i++)
        {
            await using (var agent = await FakeAgent.StartAsync())
            {
                await using var process = await agent.StartExecutorProcessAsync(new ExecutorProcessOptions
                {
                    FileName = executor,
                    CommandEnvironment = environment ?? new Dictionary<string, string>(),
                });
                await agent.WaitUntilAsync(a => a.HasSubscriber, TimeSpan.FromSeconds(60), "SUBSCRIBE");
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                if (i > 0)
                {
                    measured.SubscribeMs.Add(process.TimeToSubscribe.TotalMilliseconds);
                    measured.RssMb.Add(process.ResidentBytes() / 1048576.0);
                }
            }

            var (elapsed, idleRss) = await HelloBaseline.StartHelloAsync(self);
            if (i > 0)
            {
                measured.HelloMs.Add(elapsed);
                measured.HelloRssMb.Add(idleRss);
            }
        }

        return measured;
    }
}
