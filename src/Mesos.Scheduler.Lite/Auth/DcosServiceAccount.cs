namespace Mesos.Scheduler.Lite;

/// <summary>
/// A DC/OS service account (mesoshttp <c>set_service_account</c>): the client signs an RS256 JWT <c>{"uid", "exp"}</c>
/// with <see cref="PrivateKeyPem"/>, posts <c>{"uid", "token"}</c> to <see cref="LoginEndpoint"/>, and sends the token it
/// gets back as <c>Authorization: token=...</c>, logging in again when the master answers 401.
/// </summary>
public sealed record DcosServiceAccount
{
    /// <summary>The service account id (<c>uid</c> in the secret).</summary>
    public required string Uid { get; init; }

    /// <summary>The account's RSA private key, PEM (<c>private_key</c> in the secret).</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>The login URL (<c>login_endpoint</c> in the secret).</summary>
    public Uri LoginEndpoint { get; init; } = Defaults.DcosLoginEndpoint;

    /// <summary>Expiry of the JWT signed for the login request.</summary>
    public TimeSpan LoginTokenLifetime { get; init; } = Defaults.DcosTokenLifetime;

    /// <summary>Reads a DC/OS service account secret: <c>{"uid": ..., "private_key": ..., "login_endpoint": ...}</c>.</summary>
    public static DcosServiceAccount FromSecretJson(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        string Get(string name) => root.TryGetProperty(name, out var v) && v.GetString() is { Length: > 0 } s
            ? s
            : throw new ArgumentException($"The DC/OS service account secret has no '{name}'", nameof(json));
        var account = new DcosServiceAccount { Uid = Get("uid"), PrivateKeyPem = Get("private_key") };
        return root.TryGetProperty("login_endpoint", out var endpoint) && endpoint.GetString() is { Length: > 0 } url
            ? account with { LoginEndpoint = new Uri(url) }
            : account;
    }

    public override string ToString() => $"DcosServiceAccount {{ Uid = {Uid}, LoginEndpoint = {LoginEndpoint}, PrivateKeyPem = *** }}";
}
