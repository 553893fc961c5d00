using System.Globalization;
using Flows;
using Flows.Console;
using Flows.Samples.Etl;

// A sales export written locally (no network needed): 200,000 rows, the same every time.
var path = Path.Combine(Path.GetTempPath(), "flows-sample-sales.csv");
WriteExport(path, rows: 200_000);

// 1. Eagerly, as the plain C# it is: how you debug a flow.
var eager = await SalesReport.Report(path, CancellationToken.None);

// 2. As a graph, one task at a time (Prefect's LocalExecutor).
var local = await SalesReport.ReportFlow.RunAsync(new LocalExecutor(), path);

// 3. As a graph on worker threads (Prefect's LocalDaskExecutor(scheduler="threads")).
using var threads = new ThreadExecutor();
var threaded = await SalesReport.ReportFlow.RunAsync(threads, path);

// 4. As a graph on worker processes (Prefect's LocalDaskExecutor(scheduler="processes")): the
//    chunks and parsed sales are copied to and from the workers by generated serializers.
await using var processes = new ProcessExecutor(numWorkers: 2);
await processes.StartAsync();
var isolated = await SalesReport.ReportFlow.RunAsync(processes, path);

// 5. On a temporary local cluster of Orleans silos (Prefect's DaskExecutor()): parsed chunks stay
//    on the worker that parsed them; only what the next task elsewhere needs moves.
await using var cluster = await ClusterExecutor.StartLocalAsync(workers: 2);
var clustered = await SalesReport.ReportFlow.RunAsync(cluster, path);

var summary = threaded.Result; // throws FlowFailedException naming the failed task if the run failed
Console.WriteLine($"{summary.Sales:N0} sales, revenue {summary.Revenue.ToString("N2", CultureInfo.InvariantCulture)}, top product {summary.TopProduct}");
foreach (var (region, revenue) in summary.RevenueByRegion)
{
    Console.WriteLine($"  {region,-6} {revenue.ToString("N2", CultureInfo.InvariantCulture),16}");
}

Console.WriteLine();
Console.WriteLine($"ThreadExecutor({threads.NumWorkers}) run: {threaded.State} in {threaded.Duration.TotalMilliseconds:F1} ms");
Console.WriteLine($"{"task",-14} {"state",-10} {"attempts",8} {"duration",12}");
foreach (var task in threaded.Tasks)
{
    Console.WriteLine($"{task.Name,-14} {task.State,-10} {task.Attempts,8} {task.Duration.TotalMilliseconds,9:F2} ms");
}

Console.WriteLine();
Console.WriteLine($"ProcessExecutor({processes.NumWorkers}) run: {isolated.State} in {isolated.Duration.TotalMilliseconds:F1} ms (workers started in {processes.StartDuration?.TotalMilliseconds:F0} ms)");

Console.WriteLine($"ClusterExecutor({cluster.Workers.Count}) run: {clustered.State} in {clustered.Duration.TotalMilliseconds:F1} ms, {clustered.BytesMoved:N0} bytes moved (cluster started in {cluster.StartTime.TotalMilliseconds:F0} ms)");

// 6. A durable run: with a store, every task's result is checkpointed. The first run fails at its
//    last task (the outbox is missing); once it exists, ResumeAsync restores what succeeded and
//    runs only the rest.
var storeFolder = Path.Combine(Path.GetTempPath(), "flows-sample-store-" + Environment.ProcessId);
var outbox = Path.Combine(Path.GetTempPath(), "flows-sample-outbox-" + Environment.ProcessId);
FlowRun<string> published;
using (var store = FlowStore.Open(storeFolder))
{
    var stored = new FlowRunOptions { Store = store };
    var failed = await SalesReport.ReportAndPublishFlow.RunAsync(threads, path, outbox, options: stored);

    // 7. A report of that failed run: one HTML file (graph coloured by state, task table, timeline)
    //    that opens offline in any browser.
    var report = Path.Combine(Path.GetTempPath(), "flows-sample-report.html");
    failed.WriteHtmlReport(report);
    Directory.CreateDirectory(outbox);
    published = await SalesReport.ReportAndPublishFlow.ResumeAsync(threads, failed.RunId, options: stored);
    Console.WriteLine();
    Console.WriteLine($"Durable run {failed.RunId}: first {failed.State} ({failed.FirstFailure?.Name}: {failed.FirstFailure?.Exception?.GetType().Name}), " +
                      $"resumed {published.State}: {published.Tasks.Count(t => t.Restored)} of {published.Tasks.Count} tasks restored, {published.Tasks.Count(t => t.Attempts > 0)} ran");
    Console.WriteLine($"Report of the failed run: {report}");
}

Directory.Delete(storeFolder, recursive: true);
Directory.Delete(outbox, recursive: true);

// 7. Watching a run: the progress display (package Flows.Console). Live in a terminal; plain lines when the
//    output is redirected or in CI. Its table is printed before RunAsync returns.
Console.WriteLine();
var watched = await SalesReport.ReportFlow.RunAsync(threads, path, options: new FlowRunOptions { Listeners = [new FlowProgress()] });

var agree = watched.Result.Revenue == eager.Revenue && eager.Revenue == local.Result.Revenue && eager.Revenue == summary.Revenue && eager.TopProduct == summary.TopProduct
    && eager.Revenue == isolated.Result.Revenue && eager.TopProduct == isolated.Result.TopProduct
    && eager.Revenue == clustered.Result.Revenue && eager.TopProduct == clustered.Result.TopProduct
    && published.Succeeded && published.Tasks.Count(t => t.Attempts > 0) == 1;
Console.WriteLine();
Console.WriteLine($"eager, LocalExecutor, ThreadExecutor, ProcessExecutor and ClusterExecutor agree, and the resume ran only what failed: {agree}");
return agree ? 0 : 1;

static void WriteExport(string path, int rows)
{
    string[] regions = ["north", "south", "east", "west"];
    string[] products = ["anvil", "bolt", "cog", "dynamo", "engine"];
    var random = new Random(42);
    using var writer = new StreamWriter(path);
    writer.WriteLine("region,product,quantity,unit_price");
    for (var i = 0; i < rows; i++)
    {
        var price = (random.Next(100, 10_000) / 100m).ToString(CultureInfo.InvariantCulture);
        writer.WriteLine($"{regions[random.Next(regions.Length)]},{products[random.Next(products.Length)]},{random.Next(1, 20)},{price}");
    }
}
