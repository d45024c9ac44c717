using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mesos.Testing.Hosting;
using Microsoft.AspNetCore.Http;
using static Mesos.Scheduler.Lite.Tests.TestSupport;

namespace Mesos.Scheduler.Lite.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task BasicCredentials_AreSentOnSubscribeAndEveryCall()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("fw-principal:s3cret"));
        await using var master = await FakeMaster.StartAsync(new FakeMasterOptions { Authenticate = header => header == expected });
        var log = new EventLog();
        await using var client = new SchedulerClient(ClientOptions(master) with { Credentials = new BasicCredentials("fw-principal", "s3cret") });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));
        await log.WaitForAsync<SubscribedEvent>();

        await client.ReviveAsync().WaitAsync(WaitLimit);

        Assert.All(master.Calls, c => Assert.Equal(expected, c.Authorization));
        Assert.Equal(2, master.Calls.Count(c => c.Status is 200 or 202));
        Assert.DoesNotContain("s3cret", new BasicCredentials("p", "s3cret").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentials_Get401_AndTheClientKeepsRetrying()
    {
        await using var master = await FakeMaster.StartAsync(new FakeMasterOptions { Authenticate = _ => false });
        await using var client = new SchedulerClient(ClientOptions(master) with { Credentials = new BasicCredentials("p", "wrong"), MaxReconnect = 1 });

        var ex = await Assert.ThrowsAsync<SchedulerConnectionException>(() => client.RunAsync((_, _) => ValueTask.CompletedTask).WaitAsync(WaitLimit));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, master.Calls.Count);
    }

    [Fact]
    public async Task DcosServiceAccount_LogsInWithAnRs256Jwt_SendsTokenHeader_AndLogsInAgainOn401()
    {
        using var rsa = RSA.Create(2048);
        var publicKey = rsa.ExportParameters(false);
        var logins = 0;
        var expireFirst = 0;
        var issued = new List<string>();
        await using var login = await LoopbackHttpServer.StartAsync(async context =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            var uid = doc.RootElement.GetProperty("uid").GetString();
            var jwt = doc.RootElement.GetProperty("token").GetString()!.Split('.');
            using var verifier = RSA.Create(publicKey);
            var valid = verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), FromBase64Url(jwt[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var header = JsonDocument.Parse(FromBase64Url(jwt[0])).RootElement.GetProperty("alg").GetString();
            var claims = JsonDocument.Parse(FromBase64Url(jwt[1])).RootElement;
            if (!valid || header != "RS256" || uid != "svc" || claims.GetProperty("uid").GetString() != "svc" || !claims.TryGetProperty("exp", out _))
            {
                context.Response.StatusCode = 401;
                return;
            }

            var token = $"token-{Interlocked.Increment(ref logins)}";
            lock (issued)
            {
                issued.Add(token);
            }

            await context.Response.WriteAsJsonAsync(new { token });
        });
        // The master accepts only the newest token: the first one "expires" after SUBSCRIBE.
        await using var master = await FakeMaster.StartAsync(new FakeMasterOptions
        {
            Authenticate = h =>
            {
                lock (issued)
                {
                    return h == "token=" + issued[^1] && !(issued.Count == 1 && Volatile.Read(ref expireFirst) == 1);
                }
            },
        });
        var account = DcosServiceAccount.FromSecretJson(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["uid"] = "svc",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["login_endpoint"] = new Uri(login.BaseAddress, "acs/api/v1/auth/login").ToString(),
        }));
        var log = new EventLog();
        await using var client = new SchedulerClient(ClientOptions(master) with { ServiceAccount = account });
        await using var run = Start(ct => client.RunAsync(log.Handle, ct));
        await log.WaitForAsync<SubscribedEvent>();
        Interlocked.Exchange(ref expireFirst, 1);

        await client.ReviveAsync().WaitAsync(WaitLimit);

        Assert.Equal(2, Volatile.Read(ref logins));
        Assert.Equal("token=token-1", master.Calls[0].Authorization);
        Assert.Equal(401, master.Calls[1].Status);
        Assert.Equal("token=token-2", master.Calls[2].Authorization);
        Assert.Equal(202, master.Calls[2].Status);
        Assert.DoesNotContain("PRIVATE KEY", account.ToString(), StringComparison.Ordinal);
    }

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
