namespace Flows.EndToEnd.Tests;

/// <summary>
/// A flow whose tasks say which failures are worth a retry. The tasks count their calls in files of
/// the directory they are given, so that the count holds across worker processes.
/// </summary>
public static partial class RetryOnFlows
{
    /// <summary>Fails twice with a <see cref="FileNotFoundException"/> (an <see cref="IOException"/>), then returns its call count.</summary>
    [Task(Retries = 3, RetryOn = new[] { typeof(IOException), typeof(TimeoutException) })]
    public static int ReadShare(string dir)
    {
        var call = Count(dir, "read");
        return call < 3 ? throw new FileNotFoundException($"the share is not mounted yet (call {call})", "rows.csv") : call;
    }

    /// <summary>Always fails with a <see cref="FormatException"/>, which its RetryOn does not list.</summary>
    [Task(Retries = 3, RetryOn = new[] { typeof(IOException) })]
    public static int Validate(int rows, string dir)
    {
        var call = Count(dir, "validate");
        throw new FormatException($"row {rows} is not a number (call {call})");
    }

    [Flow]
    public static int Import(string dir)
    {
        var rows = ReadShare(dir);
        return Validate(rows, dir);
    }

    /// <summary>Appends a line to dir/name and returns how many it has (calls are never concurrent).</summary>
    public static int Count(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        File.AppendAllText(path, "call\n");
        return File.ReadAllLines(path).Length;
    }
}
