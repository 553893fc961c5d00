using Flows.Graph;

namespace Flows.Cluster.Tests;

/// <summary>Tasks that use memory, for the tests of workers with a memory limit (registered in <see cref="ClusterTaskRegistry"/>).</summary>
public static class ClusterMemoryTasks
{
    private const int IntsPerMiB = 1 << 18;

    /// <summary>An array of <c>mib</c> MiB, every element <c>seed</c> (its pages touched).</summary>
    public static readonly TaskDescriptor Block = Sync("Block", static (in TaskArguments a, CancellationToken _) =>
    {
        var block = new int[a.Get<int>(0) * IntsPerMiB];
        Array.Fill(block, a.Get<int>(1));
        return block;
    }, typeof(int), typeof(int));

    /// <summary>What a block says of itself: its first element plus its length in MiB times 1000 (so a wrong or missing block shows).</summary>
    public static readonly TaskDescriptor Check = Sync("Check", static (in TaskArguments a, CancellationToken _) => CheckOf(a.Get<int[]>(0)), typeof(int[]));

    /// <summary>As <see cref="Check"/>, plus its second input (which orders it after that task).</summary>
    public static readonly TaskDescriptor CheckAfter = Sync("CheckAfter", static (in TaskArguments a, CancellationToken _) => CheckOf(a.Get<int[]>(0)) + a.Get<int>(1), typeof(int[]), typeof(int));

    /// <summary>Holds <c>mib</c> MiB (touched) until the test releases its directory, then returns <c>mib</c>.</summary>
    public static readonly TaskDescriptor Hold = Sync("Hold", static (in TaskArguments a, CancellationToken _) =>
    {
        var held = new int[a.Get<int>(1) * IntsPerMiB];
        Array.Fill(held, 1);
        Scratch.Signal(a.Get<string>(0), "holding");
        Scratch.BlockUntilReleased(a.Get<string>(0));
        GC.KeepAlive(held);
        return a.Get<int>(1);
    }, typeof(string), typeof(int));

    /// <summary>Allocates without bound (2 MiB every 5 ms, all kept), with one retry.</summary>
    public static readonly TaskDescriptor Unbounded = new(
        "Tests.Cluster.Memory.Unbounded",
        "Unbounded",
        static (in TaskArguments a, CancellationToken _) => Grow(a.Get<int>(0)),
        retries: 1,
        codec: new SimpleCodec(typeof(int)));

    /// <summary>The first time in a directory (<c>grown</c> is not there), allocates without bound; after that returns 7. One retry.</summary>
    public static readonly TaskDescriptor GrowOnce = new(
        "Tests.Cluster.Memory.GrowOnce",
        "GrowOnce",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var marker = Path.Combine(a.Get<string>(0), "grown");
            if (File.Exists(marker))
            {
                return 7;
            }

            File.WriteAllText(marker, string.Empty);
            return Grow(0);
        },
        retries: 1,
        codec: new SimpleCodec(typeof(string)));

    internal static readonly TaskDescriptor[] All = [Block, Check, CheckAfter, Hold, Unbounded, GrowOnce];

    public static int CheckOf(int[] block) => block[0] + (block.Length / IntsPerMiB * 1000);

    private static int Grow(int ignored)
    {
        var kept = new List<int[]>();
        var deadline = DateTime.UtcNow + Scratch.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var chunk = new int[2 * IntsPerMiB];
            Array.Fill(chunk, 1);
            kept.Add(chunk);
            Thread.Sleep(5);
        }

        return kept.Count + ignored;
    }

    private static TaskDescriptor Sync(string name, TaskInvoker invoke, params Type[] parameters) =>
        new($"Tests.Cluster.Memory.{name}", name, invoke, codec: new SimpleCodec(parameters));
}
