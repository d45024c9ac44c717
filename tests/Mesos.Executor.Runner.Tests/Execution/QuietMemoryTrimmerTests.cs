using System.Runtime.CompilerServices;
using Mesos.Executor.Runner.Execution;
using Mesos.Testing.Shared;

namespace Mesos.Executor.Runner.Tests.Execution;

public sealed class QuietMemoryTrimmerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    [Fact]
    public void ABurstOfActivity_IsTrimmedOnce_AQuietPeriodAfterItsLastEvent()
    {
        var time = new ManualTimeProvider();
        int trims = 0;
        using var trimmer = new QuietMemoryTrimmer(time, Quiet, () => trims++);

        for (int i = 0; i < 10; i++)
        {
            trimmer.NoteActivity();
            time.Advance(TimeSpan.FromSeconds(1)); // launches keep coming: never quiet long enough
        }

        Assert.Equal(0, trims);
        time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(0, trims);
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(1, trims);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, trims); // nothing happened since: nothing to give back
    }

    [Fact]
    public void ActivityAfterATrim_IsTrimmedAgain_AndNoActivity_NeverTrims()
    {
        var time = new ManualTimeProvider();
        int trims = 0;
        using var trimmer = new QuietMemoryTrimmer(time, Quiet, () => trims++);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, trims);

        trimmer.NoteActivity();
        time.Advance(Quiet);
        trimmer.NoteActivity();
        time.Advance(Quiet);

        Assert.Equal(2, trims);
    }

    [Fact]
    public void TheRealTrim_GivesTheGarbageOfABurstBackToTheSystem()
    {
        var time = new ManualTimeProvider();
        using var trimmer = new QuietMemoryTrimmer(time);
        AllocateGarbage(megabytes: 64);
        long before = GC.GetGCMemoryInfo().TotalCommittedBytes;

        trimmer.NoteActivity();
        time.Advance(QuietMemoryTrimmer.DefaultQuietPeriod);

        long after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Assert.True(after < before, $"GC committed {before / 1048576.0:F1} MB before the trim, {after / 1048576.0:F1} MB after");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateGarbage(int megabytes)
    {
        // Small objects kept alive together (so they reach older generations, as a launch burst's do), then dropped.
        var keep = new List<byte[]>();
        for (int i = 0; i < megabytes * 64; i++)
        {
            keep.Add(new byte[16 * 1024 - 64]);
        }

        GC.KeepAlive(keep);
    }
}
