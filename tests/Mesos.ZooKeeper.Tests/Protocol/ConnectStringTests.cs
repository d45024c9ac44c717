namespace Mesos.ZooKeeper.Tests.Protocol;

public sealed class ConnectStringTests
{
    [Theory]
    [InlineData("zk1:2181", "zk1:2181", null)]
    [InlineData("zk1", "zk1:2181", null)]
    [InlineData("zk1:2181,zk2:2182,zk3", "zk1:2181,zk2:2182,zk3:2181", null)]
    [InlineData(" zk1:1 , zk2:2 /app/x", "zk1:1,zk2:2", "/app/x")]
    [InlineData("[::1]:2181,[fe80::1]", "[::1]:2181,[fe80::1]:2181", null)]
    [InlineData("zk1:2181/", "zk1:2181", null)]
    public void Parse_AcceptsJavaClientSyntax(string input, string servers, string? chroot)
    {
        var parsed = ZooKeeperConnectString.Parse(input);

        Assert.Equal(servers, string.Join(',', parsed.Servers));
        Assert.Equal(chroot, parsed.Chroot);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/chroot", "names no server")]
    [InlineData("zk1:0", "invalid port")]
    [InlineData("zk1:99999", "invalid port")]
    [InlineData("zk1:abc", "invalid port")]
    [InlineData("::1:2181", "bare IPv6")]
    [InlineData("[::1", "unclosed")]
    [InlineData("zk1/app/", "must not end with '/'")]
    [InlineData("zk1/app//x", "empty")]
    public void Parse_RejectsWithMessageNamingTheProblem(string input, string expected)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => ZooKeeperConnectString.Parse(input));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", false, true)]
    [InlineData("/a/b", false, true)]
    [InlineData("/a/b/", true, true)]
    [InlineData("/a/b/", false, false)]
    [InlineData("a", false, false)]
    [InlineData("/a/./b", false, false)]
    [InlineData("/a/../b", false, false)]
    [InlineData("/a\0b", false, false)]
    public void ValidatePath_FollowsZooKeeperRules(string path, bool sequential, bool valid)
    {
        var validate = () => ZooKeeperPath.Validate(path, "path", sequential);

        if (valid)
        {
            validate();
        }
        else
        {
            Assert.Throws<ArgumentException>(validate);
        }
    }

    [Theory]
    [InlineData(null, "/a", "/a")]
    [InlineData("/root", "/", "/root")]
    [InlineData("/root", "/a", "/root/a")]
    public void Chroot_IsPrependedAndStripped(string? chroot, string clientPath, string serverPath)
    {
        Assert.Equal(serverPath, ZooKeeperPath.Prepend(chroot, clientPath));
        Assert.Equal(clientPath, ZooKeeperPath.Strip(chroot, serverPath));
    }
}
