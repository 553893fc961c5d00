using System.Diagnostics;
using Flows.Serialization.Tests;

// dotnet run -c Release --project tests/Flows.Fuzz -- --cases 5000000 [--seed N]
// Fuzzes every target codec with random and mutated payloads; exits non-zero on the first payload
// that raises anything but FlowSerializationException or allocates more than its bound.
var cases = 5_000_000L;
var seed = Environment.TickCount;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--cases":
            cases = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
    }
}

var targets = FuzzTargets.All().ToList();
var perTarget = cases / targets.Count;
Console.WriteLine($"Fuzzing {targets.Count} codecs, {perTarget:N0} payloads each, then each input alone with a quarter of that (half random, half mutated), seed {seed}.");
var total = Stopwatch.StartNew();
long all = 0;
try
{
    foreach (var (task, seeds) in targets)
    {
        var watch = Stopwatch.StartNew();
        var report = PayloadFuzzer.Run(Codecs.For(task), seeds, perTarget, seed);
        all += report.Cases;
        Console.WriteLine(
            $"{task,-16} {report.Cases,12:N0} cases  {report.Accepted,10:N0} read  {report.Refused,12:N0} refused  max {report.MaxAllocatedPerByte,8:F1} B allocated per payload byte  {watch.Elapsed.TotalSeconds,6:F1} s");
    }

    // Each input alone (ITaskCodec.ReadArgument), a quarter of a target's budget per input.
    foreach (var (task, position, seeds) in FuzzTargets.Inputs())
    {
        var watch = Stopwatch.StartNew();
        var report = PayloadFuzzer.Run(Codecs.For(task), seeds, perTarget / 4, seed, position: position);
        all += report.Cases;
        Console.WriteLine(
            $"{task + "#" + position,-16} {report.Cases,12:N0} cases  {report.Accepted,10:N0} read  {report.Refused,12:N0} refused  max {report.MaxAllocatedPerByte,8:F1} B allocated per payload byte  {watch.Elapsed.TotalSeconds,6:F1} s");
    }
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine("FAILED: " + e.Message);
    Console.Error.WriteLine(e.InnerException);
    return 1;
}

Console.WriteLine($"{all:N0} cases in {total.Elapsed.TotalSeconds:F1} s: only FlowSerializationException, every allocation within its bound.");
return 0;
