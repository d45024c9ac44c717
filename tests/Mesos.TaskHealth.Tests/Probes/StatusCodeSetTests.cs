namespace Mesos.TaskHealth.Tests.Probes;

public sealed class StatusCodeSetTests
{
    [Theory]
    [InlineData("200", "200")]
    [InlineData("200-399", "200-399")]
    [InlineData("204, 200, 201-203", "200-204")]
    [InlineData("2xx,418", "200-299,418")]
    public void Parse_NormalizesAndRoundTrips(string text, string expected)
    {
        var set = StatusCodeSet.Parse(text);

        Assert.Equal(expected, set.ToString());
        Assert.Equal(set, StatusCodeSet.Parse(set.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("399-200")]
    [InlineData("99")]
    [InlineData("600")]
    public void Parse_RejectsNonsense(string text) => Assert.Throws<FormatException>(() => StatusCodeSet.Parse(text));

    [Fact]
    public void Defaults_AreMesosRangeAndSeedSingleCode()
    {
        Assert.True(StatusCodeSet.MesosDefault.Contains(200));
        Assert.True(StatusCodeSet.MesosDefault.Contains(399));
        Assert.False(StatusCodeSet.MesosDefault.Contains(400));
        Assert.False(StatusCodeSet.MesosDefault.Contains(199));
        Assert.True(StatusCodeSet.SeedDefault.Contains(200));
        Assert.False(StatusCodeSet.SeedDefault.Contains(204));
    }

    [Fact]
    public void Union_CombinesSetsAndRanges()
    {
        var set = StatusCodeSet.Of(200).Union(StatusCodeSet.Range(300, 302));

        Assert.True(set.Contains(301));
        Assert.False(set.Contains(250));
        Assert.Equal("200,300-302", set.ToString());
    }
}
