namespace Flows.Packaging.Tests;

/// <summary>The packages this repository ships and what each one's lib folder holds.</summary>
static class Known
{
    public const string Flows = "Flows";
    public const string Runtime = "Flows.Runtime";
    public const string Abstractions = "Flows.Abstractions";
    public const string Cluster = "Flows.Cluster";
    public const string ClusterKubernetes = "Flows.Cluster.Kubernetes";
    public const string Console = "Flows.Console";
    public const string Templates = "Flows.Templates";
    public const string Cli = "Flows.Cli";
    public const string Hosting = "Flows.Hosting";

    /// <summary>The .NET tool packages: their assembly is under tools/net10.0/any/, with its own deps and runtimeconfig files.</summary>
    public static readonly string[] ToolIds = [Cli];

    public static readonly string[] PackageIds = [Flows, Runtime, Abstractions, Cluster, ClusterKubernetes, Console, Hosting];

    /// <summary>Package id → the assembly (without extension) its lib/net10.0 holds.</summary>
    public static readonly IReadOnlyDictionary<string, string> LibAssembly = new Dictionary<string, string>
    {
        [Flows] = "Flows.Worker",
        [Runtime] = "Flows.Runtime",
        [Abstractions] = "Flows.Abstractions",
        [Cluster] = "Flows.Cluster",
        [ClusterKubernetes] = "Flows.Cluster.Kubernetes",
        [Console] = "Flows.Console",
        [Hosting] = "Flows.Hosting",
    };

    public static TheoryData<string> Ids() => new(PackageIds);

    public static TheoryData<string> Tools() => new(ToolIds);

    public static TheoryData<string, string> IdsWithAssembly()
    {
        var data = new TheoryData<string, string>();
        foreach (var (id, assembly) in LibAssembly)
            data.Add(id, assembly);
        return data;
    }
}
