using System.Text;
using System.Threading.Channels;
using Mesos.ZooKeeper.Detection;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.ZooKeeper.Tests.Detection;

public sealed class MasterDetectorTests(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    private readonly Channel<MesosLeaderChange> _changes = Channel.CreateUnbounded<MesosLeaderChange>();

    private string Group => Root + "/mesos";

    [ZooKeeperFact]
    public async Task Detector_PicksLowestJsonInfo_AndFollowsLeaderWhenItsNodeIsDeleted()
    {
        var admin = await ConnectInRootAsync();
        await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        await admin.CreateAsync("/mesos/log_replicas", ReadOnlyMemory<byte>.Empty).Within();
        var first = await ConnectInRootAsync();
        var second = await ConnectInRootAsync();
        var third = await ConnectInRootAsync();
        await RegisterMasterAsync(first, "master-1", 5050);
        await RegisterMasterAsync(second, "master-2", 5051);
        await RegisterMasterAsync(third, "master-3", 5052);
        // An old-style protobuf node sorting before every json.info_ one must be ignored.
        await admin.CreateAsync("/mesos/info_", "binary"u8.ToArray(), ZooKeeperCreateMode.EphemeralSequential).Within();

        var detector = Own(StartDetector());
        var leader = await detector.WaitForLeaderAsync().Within();
        Assert.Equal("master-1:5050", leader.Endpoint);
        Assert.Equal(new MesosLeaderChange(null, leader), await NextChangeAsync());

        // The leading master's session ends: its ephemeral node goes, the next lowest leads.
        await first.DisposeAsync().AsTask().Within();
        var change = await NextChangeAsync();

        Assert.Equal("master-1:5050", change.Previous?.Endpoint);
        Assert.Equal("master-2:5051", change.Current?.Endpoint);
        Assert.Equal("master-2:5051", detector.Leader?.Endpoint);
        Assert.Equal("master-2:5051", (await detector.WaitForLeaderAsync().Within()).Endpoint);
    }

    [ZooKeeperFact]
    public async Task Detector_NonLeaderLeaving_RaisesNoChange_LastLeavingReportsNone()
    {
        var admin = await ConnectInRootAsync();
        await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        var leaderNode = await RegisterMasterAsync(admin, "master-1", 5050);
        var standbyNode = await RegisterMasterAsync(admin, "master-2", 5050);
        var detector = Own(StartDetector());
        await NextChangeAsync();

        await admin.DeleteAsync(standbyNode).Within();
        await admin.DeleteAsync(leaderNode).Within();
        var change = await NextChangeAsync();

        // The standby's departure changed nothing, so the next change is the leader's.
        Assert.Equal("master-1:5050", change.Previous?.Endpoint);
        Assert.Null(change.Current);
        Assert.Null(detector.Leader);
    }

    [ZooKeeperFact]
    public async Task Detector_GroupMissingAtStart_FindsLeaderOnceMasterRegisters()
    {
        await EnsureRootAsync();
        var detector = Own(StartDetector());
        var waiting = detector.WaitForLeaderAsync();
        var admin = await ConnectInRootAsync();

        await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        await RegisterMasterAsync(admin, "late-master", 5050);

        Assert.Equal("late-master:5050", (await waiting.Within()).Endpoint);
    }

    [ZooKeeperFact]
    public async Task FindLeaderAsync_ReadsCurrentLeaderOnce()
    {
        var admin = await ConnectInRootAsync();
        await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        var plain = await ConnectAsync();

        Assert.Null(await MesosMasterDetector.FindLeaderAsync(plain, Group).Within());
        await RegisterMasterAsync(admin, "m", 5050, legacyIpOnly: true);
        var leader = await MesosMasterDetector.FindLeaderAsync(plain, Group).Within();

        Assert.Equal("127.0.0.1:5050", leader?.Endpoint);
        Assert.Null(await MesosMasterDetector.FindLeaderAsync(plain, Root + "/nothing-here").Within());
    }

    [ZooKeeperFact]
    public async Task FindLeaderAsync_LowestNodeNotMasterInfo_ThrowsFormatExceptionNamingIt()
    {
        var admin = await ConnectInRootAsync();
        await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        var bad = await admin.CreateAsync("/mesos/json.info_", "not json"u8.ToArray(), ZooKeeperCreateMode.EphemeralSequential).Within();
        await RegisterMasterAsync(admin, "m", 5050);

        var exception = await Assert.ThrowsAsync<FormatException>(() => MesosMasterDetector.FindLeaderAsync(admin, "/mesos").Within());

        Assert.Contains(bad["/mesos/".Length..], exception.Message, StringComparison.Ordinal);
    }

    private IMesosMasterDetector StartDetector() => MesosMasterDetector.Start(
        new MesosMasterDetectorOptions
        {
            Url = $"zk://{ZooKeeperTestServer.ConnectString}{Group}",
            OnLeaderChanged = change =>
            {
                _changes.Writer.TryWrite(change);
                return ValueTask.CompletedTask;
            },
        },
        LoggerFactory);

    private async Task<MesosLeaderChange> NextChangeAsync() => await _changes.Reader.ReadAsync().Within();

    /// <summary>What a Mesos master does when it contends for leadership.</summary>
    private static async Task<string> RegisterMasterAsync(IZooKeeperClient client, string host, int port, bool legacyIpOnly = false)
    {
        var json = legacyIpOnly
            ? $$"""{"id":"{{host}}","ip":16777343,"port":{{port}},"pid":"master@127.0.0.1:{{port}}"}"""
            : $$"""
              {"address":{"hostname":"{{host}}","ip":"10.0.0.1","port":{{port}}},"hostname":"{{host}}","id":"{{host}}-id",
               "ip":16777226,"pid":"master@10.0.0.1:{{port}}","port":{{port}},"version":"1.12.0"}
              """;
        return await client.CreateAsync("/mesos/json.info_", Encoding.UTF8.GetBytes(json), ZooKeeperCreateMode.EphemeralSequential).Within();
    }
}
