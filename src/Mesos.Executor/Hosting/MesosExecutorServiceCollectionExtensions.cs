using System.Diagnostics.CodeAnalysis;
using Mesos.Executor.Client;
using Mesos.Executor.Hosting;
using Mesos.Executor.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Mesos executor on the Generic Host.</summary>
public static class MesosExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Runs a Mesos executor in the host: it subscribes to the agent (settings from the environment unless
    /// <paramref name="options"/> carries them) and calls <typeparamref name="THandler"/> for each event. The host
    /// stops when the executor ends; <see cref="MesosExecutorLifetime"/> tells the exit code.
    /// </summary>
    public static IServiceCollection AddMesosExecutor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IServiceCollection services, MesosExecutorOptions? options = null)
        where THandler : class, IExecutorHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<THandler>();
        return services.AddMesosExecutor(sp => sp.GetRequiredService<THandler>(), options);
    }

    /// <summary>Runs a Mesos executor whose handler <paramref name="handlerFactory"/> makes.</summary>
    public static IServiceCollection AddMesosExecutor(
        this IServiceCollection services, Func<IServiceProvider, IExecutorHandler> handlerFactory, MesosExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(handlerFactory);
        return services.AddExecutorService(handlerFactory, options ?? new MesosExecutorOptions(), null);
    }

    /// <summary>
    /// Runs a Mesos executor on a client the program made before building the host, usually already
    /// <see cref="MesosExecutorClient.Start">started</see> so that the SUBSCRIBE goes out while the host starts. The host
    /// owns the client from then on (it disposes it); its options and settings are the client's.
    /// </summary>
    public static IServiceCollection AddMesosExecutor(
        this IServiceCollection services, Func<IServiceProvider, IExecutorHandler> handlerFactory, MesosExecutorClient client)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(handlerFactory);
        ArgumentNullException.ThrowIfNull(client);
        return services.AddExecutorService(handlerFactory, client.Options, client);
    }

    /// <summary>
    /// Runs a Mesos executor that hands each launched task to <typeparamref name="TRunner"/>, on a client the program
    /// made (and usually started) before building the host; see the other overloads.
    /// </summary>
    public static IServiceCollection AddMesosTaskRunner<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRunner>(
        this IServiceCollection services, MesosExecutorClient client, TaskRunnerExecutorOptions? runnerOptions = null)
        where TRunner : class, ITaskRunner
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(client);
        services.TryAddSingleton<TRunner>();
        return services.AddExecutorService(TaskRunnerHandler<TRunner>(client.Options, runnerOptions), client.Options, client);
    }

    /// <summary>
    /// Runs a Mesos executor that hands each launched task to <typeparamref name="TRunner"/> (see <see cref="ITaskRunner"/>)
    /// and takes care of kills, task groups, shutdown and exiting when every task is done.
    /// </summary>
    public static IServiceCollection AddMesosTaskRunner<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRunner>(
        this IServiceCollection services, MesosExecutorOptions? options = null, TaskRunnerExecutorOptions? runnerOptions = null)
        where TRunner : class, ITaskRunner
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TRunner>();
        options ??= new MesosExecutorOptions();
        return services.AddExecutorService(TaskRunnerHandler<TRunner>(options, runnerOptions), options, null);
    }

    private static Func<IServiceProvider, IExecutorHandler> TaskRunnerHandler<TRunner>(MesosExecutorOptions options, TaskRunnerExecutorOptions? runnerOptions)
        where TRunner : class, ITaskRunner =>
        sp => new TaskRunnerExecutor(
            sp.GetRequiredService<TRunner>(),
            runnerOptions ?? new TaskRunnerExecutorOptions { ShutdownMargin = options.ShutdownMargin },
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<TaskRunnerExecutor>(),
            sp.GetRequiredService<TimeProvider>());

    private static IServiceCollection AddExecutorService(
        this IServiceCollection services, Func<IServiceProvider, IExecutorHandler> handlerFactory, MesosExecutorOptions options, MesosExecutorClient? client)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MesosExecutorLifetime>();
        services.AddHostedService(sp => new ExecutorService(
            handlerFactory(sp),
            options,
            client,
            sp.GetRequiredService<MesosExecutorLifetime>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
