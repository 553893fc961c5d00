using System.Text.Json;

namespace Flows.Cli;

/// <summary>
/// What the tool asks its host to do, passed as one JSON argument: the tool has parsed and checked the command
/// line, so the host (which runs among the user's dependencies) needs no command-line parser of its own.
/// </summary>
/// <param name="Command">What to do: <c>list</c>, <c>graph</c> or <c>run</c>.</param>
/// <param name="AssemblyPath">The user's built assembly.</param>
/// <param name="ProjectName">The user's project, for messages.</param>
/// <param name="Flow">The flow's name (<c>graph</c>, <c>run</c>).</param>
/// <param name="Format">The graph's format (<c>graph</c>).</param>
/// <param name="Executor">The executor (<c>run</c>): <c>local</c>, <c>threads[:N]</c>, <c>processes[:N]</c>, <c>cluster[:N]</c>.</param>
/// <param name="Params">The <c>--param NAME=VALUE</c> values, as written.</param>
/// <param name="ParamsFile">The <c>--params FILE.json</c> file, or null.</param>
/// <param name="Report">The <c>--report FILE.html</c> file, or null.</param>
internal sealed record HostRequest(
    string Command,
    string AssemblyPath,
    string ProjectName,
    string? Flow = null,
    string? Format = null,
    string? Executor = null,
    IReadOnlyList<string>? Params = null,
    string? ParamsFile = null,
    string? Report = null)
{
    /// <summary>The first argument that starts the assembly as the host rather than the tool.</summary>
    public const string HostModeArgument = "--flows-host-request";

    public string ToJson() => JsonSerializer.Serialize(this);

    public static HostRequest FromJson(string json) =>
        JsonSerializer.Deserialize<HostRequest>(json) ?? throw new CliException("The tool passed its host an empty request.");
}
