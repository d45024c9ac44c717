using Mesos.Executor.Client;
using Mesos.Executor.Configuration;
using Mesos.Executor.Events;
using Mesos.Executor.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Event = Mesos.V1.Executor.Event;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Hosting;

/// <summary>Runs the executor client and hands each event to the user's <see cref="IExecutorHandler"/>.</summary>
/// <remarks>
/// The client is either made here from the options, or made (and maybe started) by the program before the host was
/// built; the service owns it either way and disposes it when done.
/// </remarks>
internal sealed class ExecutorService(
    IExecutorHandler handler,
    MesosExecutorOptions options,
    MesosExecutorClient? startedClient,
    MesosExecutorLifetime lifetime,
    IHostApplicationLifetime application,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Mesos.Executor");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var exitCode = 1;
        try
        {
            exitCode = await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            exitCode = 0;
        }
        catch (Exception ex)
        {
            Log.Failed(_logger, ex);
        }
        finally
        {
            Log.Done(_logger, exitCode);
            if (options.SetProcessExitCode)
            {
                Environment.ExitCode = exitCode;
            }

            lifetime.Complete(exitCode);
            if (options.StopApplication)
            {
                application.StopApplication();
            }
        }
    }

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        ExecutorSettings settings;
        try
        {
            settings = startedClient?.Settings ?? options.Settings ?? ExecutorSettings.FromEnvironment();
        }
        catch (ExecutorConfigurationException ex)
        {
            Log.StartFailed(_logger, ex);
            return 2;
        }

        var client = startedClient ?? MesosExecutorClient.Create(settings, options, loggerFactory.CreateLogger<MesosExecutorClient>(), timeProvider);
        await using (client.ConfigureAwait(false))
        {
            using var exit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var driver = new Driver(client, exit);
            try
            {
                await foreach (var received in client.ReadEventsAsync(exit.Token).ConfigureAwait(false))
                {
                    if (received is ShutdownEvent shutdown)
                    {
                        await HandleShutdownAsync(shutdown, driver, settings, exit.Token).ConfigureAwait(false);
                        return driver.ExitCode ?? (shutdown.FromAgent ? 0 : 1);
                    }

                    await DispatchAsync(received, driver, exit.Token).ConfigureAwait(false);
                    if (driver.ExitCode is { } code)
                    {
                        return code;
                    }
                }
            }
            catch (OperationCanceledException) when (driver.ExitCode is not null)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // SIGTERM or Ctrl+C: do not leave the tasks behind.
                var stopping = new ShutdownEvent(new Event { Type = Event.Types.Type.Shutdown }, ShutdownCause.HostStopping, "the host is stopping");
                await HandleShutdownAsync(stopping, driver, settings, CancellationToken.None).ConfigureAwait(false);
                return 0;
            }

            // The stream ended without SHUTDOWN only when the handler asked to exit.
            return driver.ExitCode ?? 0;
        }
    }

    private async Task HandleShutdownAsync(ShutdownEvent shutdown, Driver driver, ExecutorSettings settings, CancellationToken cancellationToken)
    {
        // The agent kills the whole container when the grace period ends; finish before that.
        using var grace = new CancellationTokenSource(settings.ShutdownGracePeriod, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken);
        try
        {
            await handler.OnShutdownAsync(shutdown, driver, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Log.ShutdownIncomplete(_logger);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, nameof(IExecutorHandler.OnShutdownAsync), ex);
        }
    }

    private async Task DispatchAsync(ExecutorEvent received, IExecutorDriver driver, CancellationToken cancellationToken)
    {
        var name = received.GetType().Name;
        try
        {
            var pending = received switch
            {
                SubscribedEvent e => handler.OnSubscribedAsync(e, driver, cancellationToken),
                LaunchEvent e => handler.OnLaunchAsync(e, driver, cancellationToken),
                LaunchGroupEvent e => handler.OnLaunchGroupAsync(e, driver, cancellationToken),
                KillEvent e => handler.OnKillAsync(e, driver, cancellationToken),
                AcknowledgedEvent e => handler.OnAcknowledgedAsync(e, driver, cancellationToken),
                MessageEvent e => handler.OnMessageAsync(e, driver, cancellationToken),
                ErrorEvent e => handler.OnErrorAsync(e, driver, cancellationToken),
                HeartbeatEvent e => handler.OnHeartbeatAsync(e, driver, cancellationToken),
                _ => default,
            };
            await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, name, ex);
        }
    }

    private sealed class Driver(MesosExecutorClient client, CancellationTokenSource exit) : IExecutorDriver
    {
        private int _exitCode = -1;

        public int? ExitCode => Volatile.Read(ref _exitCode) is var code and >= 0 ? code : null;

        public ExecutorSettings Settings => client.Settings;

        public SubscribedEvent? Subscription => client.Subscription;

        public IReadOnlyList<TaskStatus> UnacknowledgedUpdates => client.UnacknowledgedUpdates;

        public Task<TaskStatus> UpdateAsync(TaskStatus status, CancellationToken cancellationToken = default) => client.UpdateAsync(status, cancellationToken);

        public Task MessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => client.MessageAsync(data, cancellationToken);

        public Task WaitForAcknowledgementsAsync(CancellationToken cancellationToken = default) => client.WaitForAcknowledgementsAsync(cancellationToken);

        public void Exit(int exitCode = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(exitCode);
            if (Interlocked.CompareExchange(ref _exitCode, exitCode, -1) == -1)
            {
                exit.Cancel();
            }
        }
    }
}
