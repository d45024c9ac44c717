namespace Mesos.StartupProfile;

/// <summary>A method seen in the traces, with when it was first used and how.</summary>
internal sealed class ProfiledMethod(MethodIdentity method)
{
    public MethodIdentity Method { get; } = method;

    /// <summary>Milliseconds from the start of a trace to the method's first use, the earliest over all traces.</summary>
    public double FirstUseMs { get; set; } = double.MaxValue;

    /// <summary>How many traces used it.</summary>
    public int Traces { get; set; }

    /// <summary>JIT-compiled in at least one trace (no precompiled code for it, or that code was rejected).</summary>
    public bool Jitted { get; set; }

    /// <summary>Its precompiled code was used in at least one trace.</summary>
    public bool Precompiled { get; set; }
}
