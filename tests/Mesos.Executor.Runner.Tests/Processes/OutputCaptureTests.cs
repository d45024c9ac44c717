using Mesos.Executor.Runner.Processes;
using Mesos.Executor.Runner.Processes.Output;
using Mesos.Executor.Runner.Tests.Support;

namespace Mesos.Executor.Runner.Tests.Processes;

public sealed class OutputCaptureTests : ProcessTestBase
{
    [Fact]
    public async Task Files_LotsOfOutput_RotatedAndBounded()
    {
        // A buffer larger than the whole output: this test is about rotation, not about dropping.
        var options = new OutputOptions { Directory = Guard.Sandbox, MaxFileBytes = 256 * 1024, MaxRotatedFiles = 2, MaxBufferedBytes = 8 * 1024 * 1024 };
        var command = Sh("yes 0123456789abcdef | head -c 4000000; echo to-stderr >&2") with { Output = ProcessOutput.ToFiles(options) };

        var result = await command.ExecuteAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.Equal(0, result.DroppedOutputBytes);
        var kept = new[] { "stdout", "stdout.1", "stdout.2" }.Select(name => new FileInfo(Path.Combine(Guard.Sandbox, name))).ToArray();
        Assert.All(kept, file => Assert.True(file.Exists && file.Length <= options.MaxFileBytes, $"{file.Name}: {(file.Exists ? file.Length : -1)} bytes"));
        Assert.Equal(256 * 1024, kept[1].Length);
        Assert.False(File.Exists(Path.Combine(Guard.Sandbox, "stdout.3")));
        Assert.Equal("to-stderr\n", await File.ReadAllTextAsync(Path.Combine(Guard.Sandbox, "stderr")));
        Assert.Equal(4_000_000 % (256 * 1024), kept[0].Length); // the newest bytes are in "stdout"
    }

    [Fact]
    public async Task Files_DiskSlowerThanChild_ChildNeverBlocks_GapIsMarked()
    {
        using var disk = new GatedStream();
        var options = new OutputOptions { Directory = Guard.Sandbox, MaxBufferedBytes = 64 * 1024, OpenFile = _ => disk };
        var stderr = new TextSink();
        var command = Sh("head -c 4000000 /dev/zero; echo finished-writing >&2") with
        {
            BaseEnvironment = Guard.BaseEnvironment,
            Output = ProcessOutput.ToSinks(() => new RotatingFileSink(options.Directory, "stdout", options), () => stderr),
        };
        await using var process = await StartAsync(command);

        // The child got past 4 MB of stdout while the "disk" accepted nothing.
        await stderr.WaitForAsync("finished-writing");
        disk.Open();
        var result = await process.WaitAsync().Bounded();

        Assert.Equal(0, result.Status.ExitCode);
        Assert.True(result.DroppedOutputBytes > 0);
        var markers = System.Text.RegularExpressions.Regex.Matches(disk.Text, @"\[mesos-executor: dropped (\d+) bytes of output: the disk did not keep up\]\n");
        Assert.NotEmpty(markers);
        Assert.Equal(result.DroppedOutputBytes, markers.Sum(marker => long.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(4_000_000, disk.Text.Count(c => c == '\0') + result.DroppedOutputBytes);
    }

    /// <summary>A file whose writes wait until the test opens the gate: a disk that is too slow.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public string Text
        {
            get
            {
                lock (this)
                {
                    return System.Text.Encoding.UTF8.GetString(ToArray());
                }
            }
        }

        public override bool CanSeek => false;

        public void Open() => _gate.Set();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _gate.Wait(TestTimeouts.Await);
            lock (this)
            {
                base.Write(buffer);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gate.Dispose(); // ToArray still works on a closed MemoryStream
            }

            base.Dispose(disposing);
        }
    }
}
