using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Flows.Benchmarks.Serialization -- --filter '*' --job short
// Always in process (InProcess toolchain): no child project to build per run.
var arguments = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) ? args : args.Append("--inProcess").ToArray();
BenchmarkSwitcher.FromAssembly(typeof(Flows.Benchmarks.Serialization.SerializerBenchmarks).Assembly).Run(arguments);
