using System.Diagnostics;
using System.Globalization;

namespace Mesos.LocalCluster.Demo;

/// <summary>Timestamped lines a person can follow: wall clock and seconds since the demo started.</summary>
internal sealed class Progress(TextWriter output)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void Line(string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss.fff} +{Elapsed.TotalSeconds,6:0.00}s  {text}");
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public void Raw(string text)
    {
        lock (_lock)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}
