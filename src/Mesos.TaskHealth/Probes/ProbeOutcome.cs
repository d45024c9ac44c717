namespace Mesos.TaskHealth;

/// <summary>What one probe attempt says about its target.</summary>
public enum ProbeOutcome
{
    /// <summary>The target answered as expected.</summary>
    Healthy,

    /// <summary>The target failed the check; <see cref="ProbeResult.Failure"/> says how.</summary>
    Unhealthy,

    /// <summary>
    /// The attempt is discarded and changes nothing (Marathon's <c>ignoreHttp1xx</c>: an informational
    /// 1xx answer leaves the health state as it was).
    /// </summary>
    Ignored,
}
