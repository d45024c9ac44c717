using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Mesos.Protocol.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Mesos.Protocol.Bench.DecodeBenchmarks).Assembly).Run(args);
