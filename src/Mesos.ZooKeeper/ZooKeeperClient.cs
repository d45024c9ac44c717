using Mesos.ZooKeeper.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.ZooKeeper;

/// <summary>Creates ZooKeeper clients.</summary>
public static class ZooKeeperClient
{
    /// <summary>
    /// Connects to one of the servers of <see cref="ZooKeeperClientOptions.ConnectString"/> and establishes
    /// (or resumes) a session. Fails with <see cref="ConnectionLossException"/> when no server answered
    /// within <see cref="ZooKeeperClientOptions.ConnectTimeout"/>, and with
    /// <see cref="SessionExpiredException"/> when the session to resume is gone.
    /// </summary>
    public static async Task<IZooKeeperClient> ConnectAsync(
        ZooKeeperClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<IZooKeeperClient>();
        var session = new SessionClient(options, logger);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
