using System.Text;

namespace Mesos.Protocol.Http;

/// <summary>The <c>Authorization</c> header values Mesos understands.</summary>
public static class MesosAuthorization
{
    /// <summary>HTTP basic with a framework principal and secret (<c>Basic base64(principal:secret)</c>).</summary>
    public static string Basic(string principal, string secret) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{principal}:{secret}"));

    /// <summary>A bearer token, e.g. the executor's <c>MESOS_EXECUTOR_AUTHENTICATION_TOKEN</c>.</summary>
    public static string Bearer(string token) => "Bearer " + token;

    /// <summary>A DC/OS service-account token: <c>token=&lt;jwt&gt;</c>.</summary>
    public static string DcosToken(string token) => "token=" + token;

    /// <summary>A fixed header value as the per-request callback of <see cref="MesosHttpOptions.Authorization"/>.</summary>
    public static Func<CancellationToken, ValueTask<string?>> Fixed(string headerValue) => _ => ValueTask.FromResult<string?>(headerValue);
}
