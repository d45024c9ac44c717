namespace Mesos.Scheduler.Lite;

/// <summary>A framework principal and secret, sent as HTTP basic authentication (mesoshttp <c>set_credentials</c>).</summary>
public sealed record BasicCredentials(string Principal, string Secret)
{
    // Records print every property: keep the secret out of logs and exception messages.
    public override string ToString() => $"BasicCredentials {{ Principal = {Principal}, Secret = *** }}";
}
