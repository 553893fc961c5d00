namespace Flows.Cli.Host;

/// <summary>The one place <c>flows run --report FILE.html</c> writes its report.</summary>
internal static class RunReport
{
    /// <summary>Writes the HTML report of <paramref name="run"/> to <paramref name="path"/>.</summary>
    /// <remarks>
    /// The seam for <c>FlowRun.WriteHtmlReport(path)</c>, which this build of Flows does not have yet: until it is
    /// connected, asking for a report is an error (checked before the run starts, so no run is lost to it).
    /// </remarks>
    public static void Write(FlowRun run, string path) =>
        throw Unavailable(path);

    /// <summary>Whether <see cref="Write"/> can write reports; checked before a run that asks for one.</summary>
    public static bool IsAvailable => false;

    public static CliException Unavailable(string path) =>
        new($"--report is not available yet: this build of Flows cannot write HTML run reports (asked for '{path}'). Run without --report.");
}
