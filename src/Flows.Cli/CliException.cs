namespace Flows.Cli;

/// <summary>
/// A problem the user can fix (a bad option, an unknown flow, a project without Flows): the tool prints the message,
/// without a stack trace, and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
internal sealed class CliException(string message) : Exception(message);
