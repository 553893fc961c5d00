namespace Flows.Cli.Host;

/// <summary>The one place <c>flows run --report FILE.html</c> writes its report.</summary>
internal static class RunReport
{
    /// <summary>Writes the HTML report of <paramref name="run"/> to <paramref name="path"/> (<c>FlowRun.WriteHtmlReport</c>).</summary>
    public static void Write(FlowRun run, string path)
    {
        try
        {
            run.WriteHtmlReport(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--report {path}: the report of flow '{run.FlowName}' could not be written ({ex.Message}). The run itself ended {run.State}.");
        }
    }
}
