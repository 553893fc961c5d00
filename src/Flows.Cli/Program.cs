namespace Flows.Cli;

/// <summary>
/// The entry point of both roles: the tool (which parses the command line and builds the project) and, when started
/// with <see cref="HostRequest.HostModeArgument"/>, the host inside the user's dependency closure.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        args is [HostRequest.HostModeArgument, var request]
            ? Host.HostEntry.RunAsync(request)
            : Tool.ToolCommands.RunAsync(args);
}
