namespace Flows.Console;

/// <summary>How <see cref="FlowProgress"/> shows a run.</summary>
public enum FlowProgressMode
{
    /// <summary>
    /// A live display where the console is an interactive terminal that understands ANSI escapes;
    /// plain lines where it is not: output redirected to a file or a pipe, a CI job (<c>CI</c> set),
    /// or <c>TERM=dumb</c>.
    /// </summary>
    Auto,

    /// <summary>The live display, whatever the console says of itself.</summary>
    Live,

    /// <summary>Plain lines, one per thing that happened, for logs: never a cursor movement.</summary>
    Plain,
}
