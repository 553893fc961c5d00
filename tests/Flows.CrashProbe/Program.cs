using Flows;
using Flows.CrashProbe;

// Usage: Flows.CrashProbe STORE RUN_ID COUNT. Runs CrashProbeFlows.Squares over 0..COUNT-1 on two
// threads with the store, printing "done i" per element, until it finishes or is killed.
if (args.Length != 3 || !int.TryParse(args[2], out var count))
{
    Console.Error.WriteLine("usage: Flows.CrashProbe STORE RUN_ID COUNT");
    return 2;
}

using var store = FlowStore.Open(args[0]);
using var threads = new ThreadExecutor(numWorkers: 2);
var run = await CrashProbeFlows.SquaresFlow.RunAsync(threads, Enumerable.Range(0, count).ToArray(), options: new FlowRunOptions { Store = store, RunId = args[1] });
Console.WriteLine($"finished {run.State}");
return run.Succeeded ? 0 : 1;
