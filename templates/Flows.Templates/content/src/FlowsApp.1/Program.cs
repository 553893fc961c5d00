using Flows;
using FlowsApp._1;

// The lines to count: a text file given as the first argument, else a built-in sample.
var lines = args.Length > 0 ? await File.ReadAllLinesAsync(args[0]) : SampleText.Lines;
const int chunkSize = 4;
const int top = 5;

// 1. Eagerly, as the plain C# it is: how you debug a flow.
var eager = WordCounter.TopWords(lines, chunkSize, top);

// 2. As a graph on worker threads: the chunks are counted in parallel.
using var threads = new ThreadExecutor();
var threaded = await WordCounter.TopWordsFlow.RunAsync(threads, lines, chunkSize, top);

// 3. As a graph on worker processes: chunks and counts are copied to and from the workers by
//    generated serializers (isolation: a task that crashes takes down a worker, not this program).
await using var processes = new ProcessExecutor(numWorkers: 2);
var isolated = await WordCounter.TopWordsFlow.RunAsync(processes, lines, chunkSize, top);

Console.WriteLine($"Top {top} words of {lines.Length} lines:");
foreach (var (word, count) in threaded.Result) // Result throws FlowFailedException naming the failed task if the run failed
{
    Console.WriteLine($"  {word,-12} {count,5}");
}

Console.WriteLine();
Console.WriteLine($"ThreadExecutor({threads.NumWorkers}) run: {threaded.State} in {threaded.Duration.TotalMilliseconds:F1} ms");
foreach (var task in threaded.Tasks)
{
    Console.WriteLine($"  {task.Name,-14} {task.State,-10} {task.Attempts,3} attempt(s) {task.Duration.TotalMilliseconds,8:F2} ms");
}

Console.WriteLine($"ProcessExecutor({processes.NumWorkers}) run: {isolated.State} in {isolated.Duration.TotalMilliseconds:F1} ms");

var agree = eager.SequenceEqual(threaded.Result) && eager.SequenceEqual(isolated.Result);
Console.WriteLine($"eager, ThreadExecutor and ProcessExecutor agree: {agree}");
return agree ? 0 : 1;
