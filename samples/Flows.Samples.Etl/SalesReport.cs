using System.Globalization;
using Flows;

namespace Flows.Samples.Etl;

/// <summary>One line of the sales export.</summary>
public sealed record Sale(string Region, string Product, int Quantity, decimal UnitPrice)
{
    public decimal Total => Quantity * UnitPrice;
}

/// <summary>What the report tells: revenue per region and the best-selling product.</summary>
public sealed record Summary(int Sales, decimal Revenue, IReadOnlyDictionary<string, decimal> RevenueByRegion, string TopProduct);

/// <summary>
/// An ETL flow: read a CSV export, cut it into chunks, parse the chunks in parallel with
/// <c>Flow.Map</c>, and summarize. Called directly, <see cref="Report"/> runs eagerly as plain C#;
/// through the generated <c>ReportFlow.RunAsync</c> it runs as a graph on the executor you choose.
/// </summary>
public static partial class SalesReport
{
    [Task(Retries = 2, RetryDelayMs = 100, TimeoutMs = 10_000)]
    public static async Task<string[]> ReadLines(string path, CancellationToken cancellationToken) =>
        await File.ReadAllLinesAsync(path, cancellationToken);

    [Task]
    public static string[][] Chunk(string[] lines, int chunkSize) =>
        lines.Skip(1).Chunk(chunkSize).ToArray();

    [Task]
    public static Sale[] Parse(string[] chunk)
    {
        var sales = new Sale[chunk.Length];
        for (var i = 0; i < chunk.Length; i++)
        {
            var fields = chunk[i].Split(',');
            if (fields.Length != 4)
            {
                throw new FormatException($"Expected 4 fields (region,product,quantity,unit_price), got {fields.Length} in \"{chunk[i]}\".");
            }

            sales[i] = new Sale(
                fields[0],
                fields[1],
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                decimal.Parse(fields[3], CultureInfo.InvariantCulture));
        }

        return sales;
    }

    [Task]
    public static Summary Summarize(Sale[][] parts)
    {
        var all = parts.SelectMany(p => p).ToArray();
        var byRegion = all.GroupBy(s => s.Region)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Total));
        var top = all.GroupBy(s => s.Product)
            .OrderByDescending(g => g.Sum(s => s.Quantity))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .First().Key;
        return new Summary(all.Length, all.Sum(s => s.Total), byRegion, top);
    }

    [Flow]
    public static async Task<Summary> Report(string path, CancellationToken cancellationToken)
    {
        var lines = await ReadLines(path, cancellationToken);
        var chunks = Chunk(lines, 20_000);
        var parsed = Flow.Map(Parse, chunks);
        return Summarize(parsed);
    }

    /// <summary>Writes the summary into the outbox folder: fails while the folder is missing (the outside world a real upload waits for).</summary>
    [Task]
    public static string Publish(Summary summary, string outbox)
    {
        if (!Directory.Exists(outbox))
        {
            throw new DirectoryNotFoundException($"The outbox '{outbox}' does not exist.");
        }

        var file = Path.Combine(outbox, "summary.txt");
        File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture, $"{summary.Sales} sales, revenue {summary.Revenue:F2}, top {summary.TopProduct}"));
        return file;
    }

    /// <summary>The report, then its publication: what the durable-run demo fails at, fixes and resumes.</summary>
    [Flow]
    public static async Task<string> ReportAndPublish(string path, string outbox, CancellationToken cancellationToken)
    {
        var summary = await Report(path, cancellationToken);
        return Publish(summary, outbox);
    }
}
