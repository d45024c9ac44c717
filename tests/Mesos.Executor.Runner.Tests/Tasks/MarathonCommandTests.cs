using Mesos.Executor.Runner.Tasks;

namespace Mesos.Executor.Runner.Tests.Tasks;

public sealed class MarathonCommandTests
{
    [Theory]
    [InlineData("chmod ug+rx '/mnt/sandbox/mesos-executor' && exec '/mnt/sandbox/mesos-executor' python3 -m http.server $PORT0", "python3 -m http.server $PORT0")]
    [InlineData("exec './mesos-executor' ./run.sh --flag 'quoted arg'", "./run.sh --flag 'quoted arg'")]
    [InlineData("chmod ug+rx 'x' && exec 'x' sh -c \"exec 'inner' y\"", "sh -c \"exec 'inner' y\"")]
    public void TryExtractAppCommand_MarathonConvention_ReturnsWhatFollowsTheExecutor(string value, string expected)
    {
        Assert.True(MarathonCommand.TryExtractAppCommand(value, out var command));
        Assert.Equal(expected, command);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("./mesos-executor")]
    [InlineData("chmod ug+rx 'x' && exec 'x'")]
    [InlineData("chmod ug+rx 'x' && exec 'x'   ")]
    [InlineData("exec 'unterminated")]
    [InlineData("noexec 'x' y")]
    public void TryExtractAppCommand_NotTheConvention_False(string? value)
    {
        Assert.False(MarathonCommand.TryExtractAppCommand(value, out var command));
        Assert.Null(command);
    }
}
