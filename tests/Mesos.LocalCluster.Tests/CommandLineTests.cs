namespace Mesos.LocalCluster.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Serve_Defaults_ToPort5050AndOneAgent()
    {
        var options = CommandLine.Parse(["serve"]);

        Assert.Equal("serve", options.Command);
        Assert.Equal(5050, options.Port);
        Assert.Equal(1, options.Agents);
    }

    [Fact]
    public void Serve_TakesPortAgentsWorkDirAndExecutorPath()
    {
        var options = CommandLine.Parse(["serve", "--port", "0", "--agents", "3", "--work-dir", "/tmp/w", "--executor-path", "/tmp/e"]);

        Assert.Equal((0, 3, "/tmp/w", "/tmp/e"), (options.Port, options.Agents, options.WorkDirectory, options.ExecutorPath));
    }

    [Theory]
    [InlineData(new[] { "serve", "--port", "70000" }, "--port must be a TCP port")]
    [InlineData(new[] { "serve", "--master", "http://10.0.0.5:5050" }, "serve is the master itself")]
    public void Serve_BadOptions_AreNamed(string[] args, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
