using Flows;

namespace FlowsApp._1;

/// <summary>A word and how many times it occurs.</summary>
public sealed record WordCount(string Word, int Count);

/// <summary>
/// A word count as a flow: cut the lines into chunks, count the words of every chunk in parallel
/// with <c>Flow.Map</c>, and merge the counts (the fan-in). Called directly, <see cref="TopWords"/>
/// runs eagerly as plain C#; through the generated <c>TopWordsFlow.RunAsync</c> it runs as a graph
/// on the executor you choose.
/// </summary>
public static partial class WordCounter
{
    /// <summary>Cuts the lines into chunks of at most <paramref name="chunkSize"/> lines.</summary>
    [Task]
    public static string[][] Chunk(string[] lines, int chunkSize) =>
        lines.Chunk(chunkSize).ToArray();

    /// <summary>Counts the words of one chunk (letters and digits; case-insensitive).</summary>
    [Task]
    public static Dictionary<string, int> CountWords(string[] chunk)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in chunk)
        {
            var start = -1;
            for (var i = 0; i <= line.Length; i++)
            {
                var inWord = i < line.Length && (char.IsLetterOrDigit(line[i]) || (line[i] == '\'' && start >= 0));
                if (inWord && start < 0)
                {
                    start = i;
                }
                else if (!inWord && start >= 0)
                {
                    var word = line[start..i].Trim('\'').ToLowerInvariant();
                    if (word.Length > 0)
                    {
                        counts[word] = counts.GetValueOrDefault(word) + 1;
                    }

                    start = -1;
                }
            }
        }

        return counts;
    }

    /// <summary>Adds up the counts of all chunks and keeps the <paramref name="top"/> most frequent words.</summary>
    [Task]
    public static WordCount[] Merge(Dictionary<string, int>[] counts, int top)
    {
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in counts)
        {
            foreach (var (word, count) in part)
            {
                total[word] = total.GetValueOrDefault(word) + count;
            }
        }

        return total
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(p => new WordCount(p.Key, p.Value))
            .ToArray();
    }

    /// <summary>The <paramref name="top"/> most frequent words of <paramref name="lines"/>.</summary>
    [Flow]
    public static WordCount[] TopWords(string[] lines, int chunkSize, int top)
    {
        var chunks = Chunk(lines, chunkSize);        // a node; `chunks` is an edge
        var counts = Flow.Map(CountWords, chunks);   // one task run per chunk, results in order
        return Merge(counts, top);                   // fan-in
    }
}
