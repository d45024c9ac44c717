using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Mesos.Scheduler.Lite.Bench -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Mesos.Scheduler.Lite.Bench.OfferMatchingBenchmarks).Assembly).Run(args);
