using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Scheduler micro benchmarks. In-process by default (no child project build); pass
// --outOfProcess to let BenchmarkDotNet build and run its usual child process instead.
//   dotnet run -c Release --project bench/Flows.Benchmarks -- --filter '*' --job short
var outOfProcess = args.Contains("--outOfProcess");
var bdnArgs = args.Where(a => a != "--outOfProcess").ToList();
if (!outOfProcess && !bdnArgs.Contains("--inProcess") && !bdnArgs.Contains("-i"))
{
    bdnArgs.Add("--inProcess");
}

var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Flows.Benchmarks.SchedulerBenchmarks).Assembly).Run([.. bdnArgs], config);
