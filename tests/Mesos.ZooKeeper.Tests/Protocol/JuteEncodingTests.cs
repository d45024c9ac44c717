using Mesos.ZooKeeper.Jute;
using Mesos.ZooKeeper.Protocol;

namespace Mesos.ZooKeeper.Tests.Protocol;

public sealed class JuteEncodingTests
{
    [Fact]
    public void ConnectRequest_NewSession_IsByteExact()
    {
        var frame = Records.ConnectRequest(lastZxidSeen: 0x1122, TimeSpan.FromSeconds(10), sessionId: 0, password: []);

        Assert.Equal(
            "0000002D" + // length 45
            "00000000" + // protocolVersion
            "0000000000001122" + // lastZxidSeen
            "00002710" + // timeOut 10000 ms
            "0000000000000000" + // sessionId
            "00000010" + new string('0', 32) + // passwd: 16 zero bytes
            "00", // readOnly false
            Convert.ToHexString(frame.Span));
    }

    [Fact]
    public void ConnectRequest_ResumedSession_CarriesIdAndPassword()
    {
        var password = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

        var frame = Records.ConnectRequest(7, TimeSpan.FromMilliseconds(4000), sessionId: 0x0102030405060708, password);

        var hex = Convert.ToHexString(frame.Span);
        Assert.Contains("0102030405060708" + "00000010" + Convert.ToHexString(password) + "00", hex, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "FFFFFFFF")]
    [InlineData("", "00000000")]
    [InlineData("/a", "000000022F61")]
    [InlineData("é", "00000002C3A9")]
    public void WriteString_UsesLengthPrefixedUtf8AndMinusOneForNull(string? value, string expectedHex)
    {
        var frame = new JuteWriter().WriteString(value).ToFrame();

        Assert.Equal(expectedHex, Convert.ToHexString(frame.Span[4..]));
        Assert.Equal(expectedHex.Length / 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Span));
    }

    [Fact]
    public void Request_GetChildrenWithWatch_IsByteExact()
    {
        var writer = Records.Request(5, OpCode.GetChildren);
        Records.PathAndWatch(writer, "/mesos", watch: true);

        Assert.Equal(
            "00000013" + "00000005" + "00000008" + "000000062F6D65736F73" + "01",
            Convert.ToHexString(writer.ToFrame().Span));
    }

    [Fact]
    public void Create_WritesOpenAclAndModeFlags()
    {
        var writer = Records.Request(1, OpCode.Create);
        Records.CreateBody(writer, "/n", [0xAB], ZooKeeperCreateMode.EphemeralSequential);

        Assert.Equal(
            "00000001" + "00000001" + // xid, type
            "000000022F6E" + "00000001AB" + // path, data
            "00000001" + "0000001F" + "00000005" + "776F726C64" + "00000006" + "616E796F6E65" + // [ALL, world:anyone]
            "00000003", // flags
            Convert.ToHexString(writer.ToFrame().Span[4..]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Int_RoundTrips(int value)
    {
        var frame = new JuteWriter().WriteInt(value).ToFrame();
        var reader = new JuteReader(frame.Span[4..]);

        Assert.Equal(value, reader.ReadInt());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Values_RoundTrip()
    {
        var frame = new JuteWriter()
            .WriteLong(long.MinValue).WriteBool(true).WriteBuffer([1, 2, 3]).WriteString("ünï")
            .WriteStringVector(["a", "", "json.info_0000000001"])
            .ToFrame();
        var reader = new JuteReader(frame.Span[4..]);

        Assert.Equal(long.MinValue, reader.ReadLong());
        Assert.True(reader.ReadBool());
        Assert.Equal(new byte[] { 1, 2, 3 }, reader.ReadBuffer());
        Assert.Equal("ünï", reader.ReadString());
        Assert.Equal(["a", "", "json.info_0000000001"], reader.ReadStringVector());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ReadStat_ReadsEveryFieldInOrder()
    {
        var frame = new JuteWriter()
            .WriteLong(1).WriteLong(2).WriteLong(1_700_000_000_000).WriteLong(1_700_000_001_000)
            .WriteInt(3).WriteInt(4).WriteInt(5).WriteLong(0x66).WriteInt(7).WriteInt(8).WriteLong(9)
            .ToFrame();
        var reader = new JuteReader(frame.Span[4..]);

        var stat = Records.ReadStat(ref reader);

        Assert.Equal(
            new ZooKeeperStat
            {
                Czxid = 1,
                Mzxid = 2,
                Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
                Modified = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000),
                Version = 3,
                ChildVersion = 4,
                AclVersion = 5,
                EphemeralOwner = 0x66,
                DataLength = 7,
                NumChildren = 8,
                Pzxid = 9,
            },
            stat);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ReadConnectResponse_AcceptsServersThatOmitReadOnly()
    {
        var withFlag = new JuteWriter().WriteInt(0).WriteInt(4000).WriteLong(42).WriteBuffer(new byte[16]).WriteBool(false).ToFrame();
        var withoutFlag = new JuteWriter().WriteInt(0).WriteInt(4000).WriteLong(42).WriteBuffer(new byte[16]).ToFrame();

        Assert.Equal(42, Records.ReadConnectResponse(withFlag.Span[4..]).SessionId);
        Assert.Equal(4000, Records.ReadConnectResponse(withoutFlag.Span[4..]).TimeoutMilliseconds);
    }

    [Fact]
    public void ReadReplyHeader_MapsErrorCode()
    {
        var frame = new JuteWriter().WriteInt(-1).WriteLong(-1).WriteInt(-101).ToFrame();
        var reader = new JuteReader(frame.Span[4..]);

        Assert.Equal(new ReplyHeader(-1, -1, ZooKeeperErrorCode.NoNode), Records.ReadReplyHeader(ref reader));
    }

    [Theory]
    [InlineData("7FFFFFFF00")] // a buffer claiming 2 GiB with one byte behind it
    [InlineData("00000005AABB")] // a buffer claiming 5 bytes with 2
    [InlineData("FFFFFFFE")] // a length below -1
    [InlineData("000000")] // not even the length
    public void ReadBuffer_HostileOrTruncatedLength_ThrowsProtocolException(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        var exception = Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(bytes).ReadBuffer());

        Assert.Equal(ZooKeeperErrorCode.MarshallingError, exception.Code);
    }

    [Fact]
    public void ReadStringVector_CountBeyondFrame_ThrowsWithoutAllocatingForIt()
    {
        var bytes = Convert.FromHexString("7FFFFFFF" + "00000000");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(bytes).ReadStringVector());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("2147483647", exception.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void ReadLong_Truncated_Throws()
    {
        Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(new byte[7]).ReadLong());
    }
}
