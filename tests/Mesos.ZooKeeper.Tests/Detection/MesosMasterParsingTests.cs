using System.Text;
using Mesos.ZooKeeper.Detection;

namespace Mesos.ZooKeeper.Tests.Detection;

public sealed class MesosMasterParsingTests
{
    [Theory]
    [InlineData("zk://zk1:2181,zk2:2181/mesos", "zk1:2181,zk2:2181", "/mesos", false)]
    [InlineData("zk://zk1/mesos/", "zk1:2181", "/mesos", false)]
    [InlineData("zk://user:p@ss@zk1:2181/mesos", "zk1:2181", "/mesos", true)]
    [InlineData("ZK://10.0.0.1:2181", "10.0.0.1:2181", "/", false)]
    public void ZooKeeperUrl_Parse_SplitsServersPathAndDropsCredentials(string url, string connectString, string path, bool hadCredentials)
    {
        var parsed = ZooKeeperUrl.Parse(url);

        Assert.Equal(connectString, parsed.ConnectString);
        Assert.Equal(path, parsed.Path);
        Assert.Equal(hadCredentials, parsed.HadCredentials);
        Assert.DoesNotContain("ss@", parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://zk1:2181/mesos")]
    [InlineData("zk:///mesos")]
    [InlineData("zk://user:secret@/mesos")]
    public void ZooKeeperUrl_Parse_RejectsWithoutEchoingPasswords(string url)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => ZooKeeperUrl.Parse(url));

        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectLeaderNode_PicksLowestJsonInfoSequence_IgnoringOtherNodes()
    {
        string[] children =
        [
            "json.info_0000000012", "log_replicas", "info_0000000001", "json.info_0000000010",
            "json.info_garbage", "json.info_0000000011",
        ];

        Assert.Equal("json.info_0000000010", MesosMasterDetector.SelectLeaderNode(children));
        Assert.Null(MesosMasterDetector.SelectLeaderNode(["log_replicas", "info_0000000001"]));
    }

    [Fact]
    public void Parse_ModernMasterInfo_PrefersAddressHostnameAndPort()
    {
        const string json = """
            {"address":{"hostname":"master-1.example","ip":"10.0.0.1","port":5050},"hostname":"old-name",
             "id":"a1b2","ip":16777226,"pid":"master@10.0.0.1:5050","port":5051,"version":"1.12.0","domain":{}}
            """;

        var master = MesosMaster.Parse("json.info_0000000003", Encoding.UTF8.GetBytes(json));

        Assert.Equal("master-1.example:5050", master.Endpoint);
        Assert.Equal("json.info_0000000003", master.Node);
        Assert.Equal("1.12.0", master.Info.Version);
        Assert.Equal("master@10.0.0.1:5050", master.Info.Pid);
    }

    [Fact]
    public void Parse_AddressWithOnlyIp_UsesIt()
    {
        var master = MesosMaster.Parse("n", """{"address":{"ip":"10.1.2.3","port":5050}}"""u8);

        Assert.Equal("10.1.2.3:5050", master.Endpoint);
    }

    [Fact]
    public void Parse_OldMasterInfo_DecodesNetworkOrderIp()
    {
        // 127.0.0.1 as a uint32 in network byte order: bytes 7F 00 00 01 read as little-endian = 0x0100007F.
        var master = MesosMaster.Parse("n", """{"ip":16777343,"port":5050,"id":"x"}"""u8);

        Assert.Equal("127.0.0.1:5050", master.Endpoint);
    }

    [Fact]
    public void Parse_Ipv6Hostname_IsBracketedInEndpoint()
    {
        var master = MesosMaster.Parse("n", """{"address":{"ip":"fd00::1","port":5050}}"""u8);

        Assert.Equal("[fd00::1]:5050", master.Endpoint);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"port":5050}""")]
    [InlineData("""{"hostname":"m"}""")]
    [InlineData("""{"hostname":"m","port":70000}""")]
    public void Parse_Unusable_ThrowsFormatExceptionNamingTheNode(string json)
    {
        var exception = Assert.Throws<FormatException>(() => MesosMaster.Parse("json.info_0000000001", Encoding.UTF8.GetBytes(json)));

        Assert.Contains("json.info_0000000001", exception.Message, StringComparison.Ordinal);
    }
}
