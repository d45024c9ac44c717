using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mesos.Scheduler.Lite;

/// <summary>How https masters (and the DC/OS login endpoint) are verified. Verification is on unless explicitly turned off.</summary>
public sealed record TlsOptions
{
    public static TlsOptions Default { get; } = new();

    /// <summary>False accepts any certificate (mesoshttp <c>verify=False</c>); only for test clusters.</summary>
    public bool VerifyServerCertificate { get; init; } = true;

    /// <summary>Trust these CAs (e.g. the DC/OS cluster CA) instead of the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>The callback for <c>SocketsHttpHandler</c>; null means the system's default verification.</summary>
    internal RemoteCertificateValidationCallback? ToValidationCallback()
    {
        if (!VerifyServerCertificate)
        {
            return static (_, _, _, _) => true;
        }

        if (CertificateAuthorities is not { Count: > 0 } authorities)
        {
            return null;
        }

        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
