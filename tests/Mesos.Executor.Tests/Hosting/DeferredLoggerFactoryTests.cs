using Mesos.Executor.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Tests.Hosting;

public sealed class DeferredLoggerFactoryTests
{
    [Fact]
    public void EntriesBeforeAttaching_ReachTheRealLoggersInOrder_WithLevelEventAndException()
    {
        var sink = new CollectingProvider();
        using var real = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Information));
        var deferred = new DeferredLoggerFactory();
        var client = deferred.CreateLogger("Client");
        var other = deferred.CreateLogger("Other");
        var failure = new InvalidOperationException("boom");

        client.LogInformation(new EventId(1, "Subscribing"), "Subscribing to {Endpoint}", "http://agent:5051");
        other.LogDebug("filtered out by the real factory's minimum level");
        other.LogError(failure, "Failed {Count} times", 2);
        Assert.Empty(sink.Entries);

        deferred.AttachTo(real);

        Assert.Equal(
            [
                ("Client", LogLevel.Information, 1, "Subscribing to http://agent:5051", null),
                ("Other", LogLevel.Error, 0, "Failed 2 times", failure),
            ],
            sink.Entries);
    }

    [Fact]
    public void AfterAttaching_OldAndNewLoggersForwardAtOnce()
    {
        var sink = new CollectingProvider();
        using var real = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Warning));
        var deferred = new DeferredLoggerFactory();
        var before = deferred.CreateLogger("Before");
        deferred.AttachTo(real);
        var after = deferred.CreateLogger("After");

        before.LogWarning("one");
        after.LogWarning("two");

        Assert.Equal([("Before", "one"), ("After", "two")], sink.Entries.Select(e => (e.Category, e.Message)));
        // Attached, the loggers answer as the real ones do (here: warnings and up).
        Assert.False(before.IsEnabled(LogLevel.Information));
        Assert.True(after.IsEnabled(LogLevel.Warning));
        Assert.Throws<InvalidOperationException>(() => deferred.AttachTo(real));
    }

    [Fact]
    public void BeyondCapacity_EntriesAreDropped_AndTheDropIsReported()
    {
        var sink = new CollectingProvider();
        using var real = LoggerFactory.Create(b => b.AddProvider(sink));
        var deferred = new DeferredLoggerFactory();
        var logger = deferred.CreateLogger("Busy");

        for (var i = 0; i < DeferredLoggerFactory.Capacity + 5; i++)
        {
            logger.LogInformation("entry {Index}", i);
        }

        deferred.AttachTo(real);

        Assert.Equal(DeferredLoggerFactory.Capacity + 1, sink.Entries.Count);
        Assert.Equal($"entry {DeferredLoggerFactory.Capacity - 1}", sink.Entries[DeferredLoggerFactory.Capacity - 1].Message);
        var report = sink.Entries[^1];
        Assert.Equal(LogLevel.Warning, report.Level);
        Assert.StartsWith("5 log entries written before logging was set up were dropped", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntriesWrittenWhileAttaching_AreNeitherLostNorDuplicated()
    {
        var sink = new CollectingProvider();
        using var real = LoggerFactory.Create(b => b.AddProvider(sink));
        var deferred = new DeferredLoggerFactory();
        var logger = deferred.CreateLogger("Racing");
        const int Count = 500;

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Count; i++)
            {
                logger.LogInformation("entry {Index}", i);
            }
        });
        deferred.AttachTo(real);
        await writer;

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"entry {i}"), sink.Entries.Select(e => e.Message));
    }

    private sealed class CollectingProvider : ILoggerProvider
    {
        private readonly Lock _gate = new();
        private readonly List<(string Category, LogLevel Level, int EventId, string Message, Exception? Exception)> _entries = [];

        public List<(string Category, LogLevel Level, int EventId, string Message, Exception? Exception)> Entries
        {
            get
            {
                lock (_gate)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Collector(CollectingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._gate)
                {
                    owner._entries.Add((category, logLevel, eventId.Id, formatter(state, exception), exception));
                }
            }
        }
    }
}
