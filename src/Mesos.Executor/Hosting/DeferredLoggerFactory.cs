using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Hosting;

/// <summary>
/// Loggers for what starts before logging is set up: they hold what is logged until <see cref="AttachTo"/> names the
/// real logger factory, then hand it over in order and forward from then on. It lets a program
/// <see cref="Client.MesosExecutorClient.Start">start the executor client</see> first thing and configure its logging
/// (and host) while the SUBSCRIBE is on its way, without losing the client's first log lines.
/// </summary>
/// <remarks>
/// At most <see cref="Capacity"/> entries are held; later ones are counted and reported as one warning on attach.
/// Held entries reach the real loggers when attached, so sinks that stamp the time stamp that moment. Disposing this
/// factory does not dispose the attached one, which stays the caller's.
/// </remarks>
public sealed class DeferredLoggerFactory : ILoggerFactory
{
    /// <summary>How many entries are held at most before <see cref="AttachTo"/>.</summary>
    public const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, DeferredLogger> _loggers = new(StringComparer.Ordinal);
    private readonly List<(DeferredLogger Logger, Action<ILogger> Write)> _held = [];
    private ILoggerFactory? _target;
    private int _dropped;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName)
    {
        ArgumentNullException.ThrowIfNull(categoryName);
        return _loggers.GetOrAdd(categoryName, static (category, owner) => owner.NewLogger(category), this);
    }

    /// <summary>Hands the held entries to <paramref name="target"/>'s loggers, oldest first, and forwards to them from now on.</summary>
    /// <exception cref="InvalidOperationException">Already attached.</exception>
    public void AttachTo(ILoggerFactory target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            if (_target is not null)
            {
                throw new InvalidOperationException("The deferred loggers are already attached");
            }

            _target = target;
            foreach (var logger in _loggers.Values)
            {
                logger.Target = target.CreateLogger(logger.Category);
            }

            foreach (var (logger, write) in _held)
            {
                write(logger.Target!);
            }

            if (_dropped > 0)
            {
                target.CreateLogger(typeof(DeferredLoggerFactory).FullName!).LogWarning(
                    "{Dropped} log entries written before logging was set up were dropped (at most {Capacity} are kept)", _dropped, Capacity);
            }

            _held.Clear();
        }
    }

    /// <summary>Not supported: providers belong to the factory this one is attached to.</summary>
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Add providers to the logger factory this one is attached to");

    /// <summary>Does nothing: the attached factory stays the caller's to dispose.</summary>
    public void Dispose()
    {
    }

    private DeferredLogger NewLogger(string category)
    {
        var logger = new DeferredLogger(this, category);
        lock (_gate)
        {
            // Created after attaching: forward straight away.
            logger.Target = _target?.CreateLogger(category);
        }

        return logger;
    }

    /// <summary>Holds one entry of <paramref name="logger"/>, or writes it at once when attached in the meantime.</summary>
    private void Hold(DeferredLogger logger, Action<ILogger> write)
    {
        lock (_gate)
        {
            if (_target is null)
            {
                if (_held.Count < Capacity)
                {
                    _held.Add((logger, write));
                }
                else
                {
                    _dropped++;
                }

                return;
            }

            // A logger made while attaching may have missed its target.
            logger.Target ??= _target.CreateLogger(logger.Category);
        }

        write(logger.Target);
    }

    private sealed class DeferredLogger(DeferredLoggerFactory owner, string category) : ILogger
    {
        private volatile ILogger? _target;

        public string Category => category;

        public ILogger? Target
        {
            get => _target;
            set => _target = value;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => _target?.BeginScope(state);

        // Before attaching nobody knows what the real loggers will want: everything is held and they filter on replay.
        public bool IsEnabled(LogLevel logLevel) => _target?.IsEnabled(logLevel) ?? logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (_target is { } target)
            {
                target.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            owner.Hold(this, logger => logger.Log(logLevel, eventId, state, exception, formatter));
        }
    }
}
