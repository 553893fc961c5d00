namespace Flows.Cluster.Protocol;

/// <summary>
/// The build of one task assembly the flow process runs: workers refuse a request for an assembly
/// unless they hold exactly this build.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed class AssemblyBuild
{
    [Id(0)] public string Name { get; init; } = string.Empty;

    /// <summary>The module version id of the flow process's copy.</summary>
    [Id(1)] public Guid Build { get; init; }

    /// <summary>Its path in the flow process: a worker started by a local cluster may load it from there.</summary>
    [Id(2)] public string? Path { get; init; }
}

/// <summary>What a worker tells a client about itself.</summary>
[GenerateSerializer, Immutable]
internal sealed class WorkerDescription
{
    [Id(0)] public int Threads { get; init; }

    [Id(1)] public int ProcessId { get; init; }

    [Id(2)] public string Machine { get; init; } = string.Empty;
}
