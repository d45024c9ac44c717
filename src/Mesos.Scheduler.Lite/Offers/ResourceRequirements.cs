namespace Mesos.Scheduler.Lite;

/// <summary>What one task (or one executor) needs from an offer. Scalars are compared at Mesos' precision of three decimals.</summary>
public sealed record ResourceRequirements
{
    public double Cpus { get; init; }

    /// <summary>Memory in MB.</summary>
    public double Mem { get; init; }

    /// <summary>Disk in MB.</summary>
    public double Disk { get; init; }

    public double Gpus { get; init; }

    /// <summary>How many ports to take from the offered <c>ports</c> ranges (besides <see cref="FixedPorts"/>).</summary>
    public int Ports { get; init; }

    /// <summary>Ports that must be exactly these (mesos-framework <c>fixedPorts</c> / <c>staticPorts</c>).</summary>
    public IReadOnlyList<ulong> FixedPorts { get; init; } = [];

    public bool IsEmpty => Scalar.ToFixed(Cpus) == 0 && Scalar.ToFixed(Mem) == 0 && Scalar.ToFixed(Disk) == 0 && Scalar.ToFixed(Gpus) == 0
                           && Ports == 0 && FixedPorts.Count == 0;

    internal Key ToKey() => new(
        Scalar.ToFixed(Cpus), Scalar.ToFixed(Mem), Scalar.ToFixed(Disk), Scalar.ToFixed(Gpus), Ports, string.Join(',', FixedPorts));

    internal void Validate(string owner)
    {
        if (Cpus < 0 || Mem < 0 || Disk < 0 || Gpus < 0 || Ports < 0 || !double.IsFinite(Cpus + Mem + Disk + Gpus))
        {
            throw new ArgumentOutOfRangeException(owner, $"{owner}: resources must be finite and not negative (cpus {Cpus}, mem {Mem}, disk {Disk}, gpus {Gpus}, ports {Ports})");
        }

        if (FixedPorts.Distinct().Count() != FixedPorts.Count || FixedPorts.Any(p => p is 0 or > 65535))
        {
            throw new ArgumentException($"{owner}: fixed ports must be distinct and within 1-65535 ({string.Join(", ", FixedPorts)})", owner);
        }
    }

    internal readonly record struct Key(long Cpus, long Mem, long Disk, long Gpus, int Ports, string FixedPorts);
}

/// <summary>Mesos' scalar arithmetic: values are fixed-point with three decimals (<c>llround(value * 1000)</c>).</summary>
public static class Scalar
{
    public static long ToFixed(double value) => (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);

    public static double FromFixed(long value) => value / 1000.0;

    /// <summary>The value as Mesos sees it: rounded to three decimals.</summary>
    public static double Normalize(double value) => FromFixed(ToFixed(value));
}
