using Spectre.Console;

namespace Flows.Console.Display;

/// <summary>Whether a console can take the live display (<see cref="FlowProgressMode.Auto"/>).</summary>
internal static class TerminalDetection
{
    /// <summary>
    /// True for an interactive console that understands ANSI escapes, unless <c>TERM=dumb</c> or a CI job
    /// (<c>CI</c> set to anything but false or 0): a redirected output, a pipe or a CI log gets plain lines.
    /// </summary>
    public static bool IsLiveTerminal(IAnsiConsole console, Func<string, string?> environment)
    {
        var capabilities = console.Profile.Capabilities;
        if (!capabilities.Interactive || !capabilities.Ansi)
        {
            return false;
        }

        if (string.Equals(environment("TERM"), "dumb", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var ci = environment("CI");
        return string.IsNullOrEmpty(ci) || ci.Equals("false", StringComparison.OrdinalIgnoreCase) || ci == "0";
    }
}
