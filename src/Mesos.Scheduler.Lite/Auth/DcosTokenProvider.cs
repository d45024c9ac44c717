using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mesos.Scheduler.Lite;

/// <summary>Logs a DC/OS service account in (RS256 JWT) and caches the token until told it was refused.</summary>
internal sealed class DcosTokenProvider : IDisposable
{
    private readonly DcosServiceAccount _account;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    public DcosTokenProvider(DcosServiceAccount account, TlsOptions tls, TimeSpan timeout, TimeProvider time)
    {
        _account = account;
        _time = time;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        if (tls.ToValidationCallback() is { } validate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        }

        _http = new HttpClient(handler) { Timeout = timeout };
    }

    public int Logins { get; private set; }

    public async ValueTask<string?> GetHeaderAsync(CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                token = _token ??= await LoginAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        return Protocol.Http.MesosAuthorization.DcosToken(token);
    }

    /// <summary>The master answered 401: the token expired or was revoked; the next request logs in again.</summary>
    public void Invalidate() => Volatile.Write(ref _token, null);

    private async Task<string> LoginAsync(CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["uid"] = _account.Uid, ["token"] = CreateLoginJwt() });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_account.LoginEndpoint, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The answer names the problem ("invalid uid", "signature verification failed") and holds no secret.
            throw new HttpRequestException(
                $"DC/OS login of service account '{_account.Uid}' at {_account.LoginEndpoint} was answered {(int)response.StatusCode}: {Truncate(text)}",
                null,
                response.StatusCode);
        }

        using var doc = JsonDocument.Parse(text);
        Logins++;
        return doc.RootElement.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new HttpRequestException($"DC/OS login at {_account.LoginEndpoint} answered without a 'token'");
    }

    internal string CreateLoginJwt()
    {
        var exp = _time.GetUtcNow().Add(_account.LoginTokenLifetime).ToUnixTimeSeconds();
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["uid"] = _account.Uid, ["exp"] = exp }));
        var signingInput = header + "." + payload;
        using var rsa = RSA.Create();
        rsa.ImportFromPem(_account.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
