using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Mesos.Protocol.Bench;

/// <summary>Adds MB/s, events/s and allocated bytes per event, derived from the mean time of one whole-stream operation.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    // Filled in the benchmark process; the host process recomputes sizes itself (see SizeOf).
    public static readonly ConcurrentDictionary<string, long> StreamBytes = new();

    public ThroughputConfig()
    {
        AddColumn(new DerivedColumn("MB/s", (summary, bench) =>
            summary[bench]?.ResultStatistics is { } stats ? (SizeOf(bench) / 1e6 / (stats.Mean / 1e9)).ToString("F1") : "-"));
        AddColumn(new DerivedColumn("events/s", (summary, bench) =>
            summary[bench]?.ResultStatistics is { } stats ? (EventStreams.EventCount / (stats.Mean / 1e9)).ToString("N0") : "-"));
        AddColumn(new DerivedColumn("B alloc/event", (summary, bench) =>
            summary[bench]?.GcStats is { } gc && gc.GetBytesAllocatedPerOperation(bench) is { } bytes
                ? (bytes / (double)EventStreams.EventCount).ToString("F0")
                : "-"));
    }

    private static long SizeOf(BenchmarkCase bench)
    {
        // By method name: the display text is quoted when a Description is set.
        var key = bench.Descriptor.WorkloadMethod.Name.StartsWith("Json", StringComparison.Ordinal) ? "Json" : "Protobuf";
        return StreamBytes.GetOrAdd(key, k => EventStreams.Build(k == "Json" ? Mesos.Protocol.Encoding.MesosEncoding.Json : Mesos.Protocol.Encoding.MesosEncoding.Protobuf).Length);
    }

    private sealed class DerivedColumn(string name, Func<Summary, BenchmarkCase, string> value) : IColumn
    {
        public string Id => name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => name;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(summary, benchmarkCase);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => value(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
