namespace Flows.Cli;

/// <summary>What the <c>flows</c> command's exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked; for <c>run</c>, the flow succeeded.</summary>
    public const int Success = 0;

    /// <summary><c>run</c>: the flow ran and did not succeed (a task failed, timed out or crashed).</summary>
    public const int FlowFailed = 1;

    /// <summary>The command could not do its work: a bad option or parameter, an unknown flow, a build that failed, a project without Flows.</summary>
    public const int Usage = 2;

    /// <summary><c>run</c>: cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
