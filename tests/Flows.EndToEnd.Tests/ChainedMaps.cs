namespace Flows.EndToEnd.Tests;

/// <summary>
/// Chained maps (<c>Flow.Map(C, Flow.Map(B, Flow.Map(A, xs)))</c>) as a user writes them: the generator
/// marks each stage as reading the one before it element by element, and the runtime runs them depth-first.
/// Tasks that have side effects append to a journal file, which worker processes share.
/// </summary>
public static partial class ChainedMaps
{
    /// <summary>A block of <paramref name="size"/> bytes, each <c>item % 251</c>: a large intermediate result.</summary>
    [Task]
    public static byte[] Make(int item, int size)
    {
        var data = new byte[size];
        Array.Fill(data, (byte)(item % 251));
        return data;
    }

    /// <summary>Each byte plus one: another large intermediate result.</summary>
    [Task]
    public static byte[] Grow(byte[] data)
    {
        var grown = new byte[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            grown[i] = (byte)(data[i] + 1);
        }

        return grown;
    }

    /// <summary>The sum of the bytes: a small result, the only one the flow process needs.</summary>
    [Task]
    public static long Weigh(byte[] data)
    {
        long sum = 0;
        foreach (var b in data)
        {
            sum += b;
        }

        return sum;
    }

    /// <summary>Three stages over large blocks: what the lead measures with 2,000 items of 8 MiB.</summary>
    [Flow]
    public static long[] Blocks(int[] items, int size) => Flow.Map(Weigh, Flow.Map(Grow, Flow.Map(Make, items, size)));

    [Task]
    public static int Halve(int x, string journal)
    {
        Journal.Append(journal, $"halve {x}\n");
        return x == 6 ? throw new InvalidOperationException($"cannot halve {x}") : x / 2;
    }

    [Task]
    public static int Label(int x, string journal)
    {
        Journal.Append(journal, $"label {x}\n");
        return x + 100;
    }

    [Task]
    public static int Double(int x) => x * 2;

    /// <summary>A chain whose middle stage fails for the item 3 (it halves 6).</summary>
    [Flow]
    public static int[] FailsMidway(int[] items, string journal)
    {
        var doubled = Flow.Map(Double, items);
        var halved = Flow.Map(Halve, doubled, journal);
        return Flow.Map(Label, halved, journal);
    }

    [Task]
    public static int Checked(int x) => x % 3 == 0 ? throw new ArgumentException($"multiple of three: {x}") : x * 10;

    [Task]
    public static string Describe(Outcome<int> checkedValue) =>
        checkedValue.Succeeded ? $"ok {checkedValue.Value}" : $"{checkedValue.ExceptionType}: {checkedValue.Exception!.Message}";

    /// <summary>A TryMap stage whose outcomes, failed ones too, feed the next stage.</summary>
    [Flow]
    public static string[] Tolerant(int[] items) => Flow.Map(Describe, Flow.TryMap(Checked, items));

    [Task]
    public static async Task<int> WaitUnlessFirst(int x, CancellationToken cancellationToken)
    {
        if (x != 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
        }

        return x;
    }

    /// <summary>A chain whose elements after the first wait until cancelled.</summary>
    [Flow]
    public static async Task<int[]> Waits(int[] items, CancellationToken cancellationToken)
    {
        var waited = await Flow.Map(WaitUnlessFirst, Flow.Map(Double, items), cancellationToken);
        return Flow.Map(Double, waited);
    }

    [Task]
    public static int Note(int x, string journal, string stage)
    {
        Journal.Append(journal, $"{stage} {x}\n");
        return x + 1;
    }

    [Task]
    public static int NeedsGate(int x, string journal, string gate)
    {
        Journal.Append(journal, $"gate {x}\n");
        return x == 3 && !File.Exists(gate) ? throw new InvalidOperationException("the gate is closed") : x * 10;
    }

    /// <summary>Three stages whose middle one fails for the item 3 until the gate opens: for a resume.</summary>
    [Flow]
    public static int[] Gated(int[] items, string journal, string gate)
    {
        var first = Flow.Map(Note, items, journal, "first");
        var gated = Flow.Map(NeedsGate, first, journal, gate);
        return Flow.Map(Note, gated, journal, "last");
    }
}

/// <summary>
/// Appends a line to a journal that tasks in several worker processes write at once: File.AppendAllText
/// seeks to the end and writes, so two processes can write at the same place and lose a line. The file
/// is opened exclusively (an advisory lock on Unix), and a writer that finds it taken tries again.
/// </summary>
internal static class Journal
{
    public static void Append(string path, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                file.Write(bytes);
                return;
            }
            catch (IOException) when (attempt < 100_000)
            {
                Thread.Yield(); // another process holds it for the few microseconds of one write
            }
        }
    }
}

