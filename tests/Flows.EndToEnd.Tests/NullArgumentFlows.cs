namespace Flows.EndToEnd.Tests;

/// <summary>A flow whose first task leaves a mark on disk, seen from any process, when it runs.</summary>
public static partial class NullArgumentFlows
{
    [Task]
    public static void Record(string marker) => File.WriteAllText(marker, "ran");

    [Task]
    public static int Length(string text) => text.Length;

    [Flow]
    public static int Greet(string marker, string name)
    {
        Record(marker);
        return Length(name);
    }
}
