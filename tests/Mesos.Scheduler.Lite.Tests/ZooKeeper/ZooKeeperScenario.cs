using System.Text;
using Mesos.ZooKeeper;
using Mesos.ZooKeeper.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesos.Scheduler.Lite.Tests;

/// <summary>Tests of the scheduler against the real ZooKeeper server: fake masters that register in ZooKeeper as Mesos masters do.</summary>
public abstract class ZooKeeperScenario(ITestOutputHelper output) : ZooKeeperTestBase(output)
{
    /// <summary>This test's master group: <c>zk://server/t-xxxx/mesos</c>.</summary>
    protected string MastersUrl => $"zk://{ZooKeeperTestServer.ConnectString}{Root}/mesos";

    /// <summary>The connect string with this test's root as chroot (mesos-framework <c>zkUrl</c>).</summary>
    protected string ZkUrl => ZooKeeperTestServer.ConnectString + Root;

    /// <summary>
    /// What a Mesos master does when it contends for leadership: an ephemeral sequential <c>json.info_</c> node holding its
    /// MasterInfo, in a session of its own (returned: closing it is the master going away).
    /// </summary>
    protected async Task<IZooKeeperClient> RegisterMasterAsync(FakeMaster master)
    {
        var admin = await ConnectInRootAsync();
        try
        {
            await admin.CreateAsync("/mesos", ReadOnlyMemory<byte>.Empty).Within();
        }
        catch (NodeExistsException)
        {
            // The group is there already.
        }

        var session = await ConnectInRootAsync();
        var host = master.BaseAddress.Host;
        var port = master.BaseAddress.Port;
        var json = $$"""
            {"address":{"hostname":"{{host}}","ip":"{{host}}","port":{{port}}},"hostname":"{{host}}","id":"{{master.Options.MasterId}}",
             "pid":"master@{{host}}:{{port}}","port":{{port}},"version":"1.12.0"}
            """;
        await session.CreateAsync("/mesos/json.info_", Encoding.UTF8.GetBytes(json), ZooKeeperCreateMode.EphemeralSequential).Within();
        return session;
    }
}
