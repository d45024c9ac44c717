namespace Mesos.Executor.Runner.Tests.Support;

/// <summary>
/// Gives a test its own id, sandbox and base environment, and proves afterwards that no process of the test
/// is left alive. Every child a test starts inherits <see cref="Variable"/>=<see cref="TestId"/> through the
/// base environment, so the check does not trust the implementation's own marker: it scans /proc for that
/// variable, and for the process groups and sessions of every pid the test reported with <see cref="Track"/>.
/// Zombies do not count (they are dead; reaping orphans is init's job). Anything found is SIGKILLed so one
/// failing test does not leak into the next, and the test fails with the list.
/// </summary>
internal sealed class ProcessLeakGuard : IDisposable
{
    public const string Variable = "MESOS_RUNNER_TEST_ID";

    private readonly HashSet<int> _groups = [];
    private bool _checked;

    public ProcessLeakGuard()
    {
        Sandbox = Path.Combine(Path.GetTempPath(), "mesos-runner-tests", TestId);
        Directory.CreateDirectory(Sandbox);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        environment[Variable] = TestId;
        BaseEnvironment = environment;
    }

    public string TestId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A fresh directory for this test's output files.</summary>
    public string Sandbox { get; }

    /// <summary>The executor's environment plus the test id: pass it as the base environment of every command.</summary>
    public IReadOnlyDictionary<string, string> BaseEnvironment { get; }

    /// <summary>Also check the process group and session of <paramref name="pid"/> (a main task process).</summary>
    public void Track(int pid)
    {
        lock (_groups)
        {
            _groups.Add(pid);
        }
    }

    /// <summary>Fails (after killing them) if any process of this test is still alive.</summary>
    public void AssertNoneLeft()
    {
        _checked = true;
        var leftovers = FindLeftovers();
        if (leftovers.Count == 0)
        {
            return;
        }

        foreach (var (pid, _) in leftovers)
        {
            _ = Mesos.Executor.Runner.Processes.Native.Libc.kill(pid, 9);
        }

        Assert.Fail($"processes of this test are still alive: {string.Join(", ", leftovers.Select(l => $"{l.Pid} ({l.Description})"))}");
    }

    public void Dispose()
    {
        try
        {
            if (!_checked)
            {
                AssertNoneLeft();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(Sandbox, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private List<(int Pid, string Description)> FindLeftovers()
    {
        int[] groups;
        lock (_groups)
        {
            groups = [.. _groups];
        }

        var result = new List<(int, string)>();
        foreach (var process in ProcessScan.LiveProcesses())
        {
            var marked = process.HasVariable(Variable, TestId);
            if (marked || groups.Contains(process.Group) || groups.Contains(process.Session))
            {
                result.Add((process.Pid, $"{process.Name} state {process.State}{(marked ? ", has the test id" : string.Empty)}"));
            }
        }

        return result;
    }
}
