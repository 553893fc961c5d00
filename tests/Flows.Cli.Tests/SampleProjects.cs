namespace Flows.Cli.Tests;

/// <summary>
/// Small real projects written to a temporary folder and built once for all the end-to-end tests: one with flows that
/// references Flows and Flows.Cluster (as the repository's projects), one with Flows but not Flows.Cluster, and one
/// without Flows at all.
/// </summary>
public sealed class SampleProjects : IDisposable
{
    private readonly Lazy<string> _shop;
    private readonly Lazy<string> _noCluster;
    private readonly Lazy<string> _plain;

    public SampleProjects()
    {
        Root = Directory.CreateTempSubdirectory("flows-cli-tests-").FullName;
        _shop = new(() => Create("Shop", cluster: true, ShopFlows));
        _noCluster = new(() => Create("NoCluster", cluster: false, NoClusterFlows));
        _plain = new(() => Create("Plain", cluster: null, null));
    }

    public string Root { get; }

    /// <summary>The folder of the project with the flows of <see cref="ShopFlows"/>, built.</summary>
    public string Shop => _shop.Value;

    public string NoCluster => _noCluster.Value;

    public string Plain => _plain.Value;

    public const string ShopFlows = """
        using Flows;

        namespace Shop;

        public sealed record Summary(int Count, string Label);

        public enum Mode { Fast, Careful }

        public static partial class Orders
        {
            [Task] public static int Twice(int value) => value * 2;

            [Task] public static Summary Summarize(int[] values, string label, Mode mode) => new(values.Length, label + ":" + mode);

            [Task] public static int Boom(int value) => throw new InvalidOperationException("no stock for " + value);

            [Task]
            public static async Task<int> Hold(int value, CancellationToken ct)
            {
                Console.WriteLine("holding " + value);
                await Task.Delay(TimeSpan.FromMinutes(5), ct);
                return value;
            }

            [Flow] public static int Double(int value) => Twice(value);

            [Flow] public static Summary Summary(int[] values, string label, Mode mode) => Summarize(values, label, mode);

            [Flow] public static int Fails(int value) => Boom(Twice(value));

            [Flow]
            public static async Task<int> Wait(int value, CancellationToken ct) => await Hold(value, ct);
        }

        public static partial class Returns
        {
            [Flow] public static int Fails(int value) => Orders.Twice(value);
        }
        """;

    private const string NoClusterFlows = """
        using Flows;

        public static partial class Solo
        {
            [Task] public static int One() => 1;

            [Flow] public static int Only() => One();
        }
        """;

    private string Create(string name, bool? cluster, string? flows)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        var src = Path.Combine(ToolRunner.RepositoryRoot, "src");
        var references = cluster is null
            ? string.Empty
            : $"""
                <ProjectReference Include="{src}/Flows.Runtime/Flows.Runtime.csproj" />
                <ProjectReference Include="{src}/Flows.Worker/Flows.Worker.csproj" />
                {(cluster.Value ? $"<ProjectReference Include=\"{src}/Flows.Cluster/Flows.Cluster.csproj\" />" : string.Empty)}
                <ProjectReference Include="{src}/Flows.Generator/Flows.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              """;
        var import = cluster is null ? string.Empty : $"""<Import Project="{ToolRunner.RepositoryRoot}/eng/Flows.FromSource.targets" />""";
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
              {import}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), "System.Console.WriteLine(\"an app with flows\");\n");
        if (flows is not null)
        {
            File.WriteAllText(Path.Combine(folder, "Flows.cs"), flows);
        }

        ToolRunner.Dotnet_(folder, "build", "-c", ToolRunner.Configuration, "-nologo", "-v", "q");
        return folder;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SampleProjectsCollection : ICollectionFixture<SampleProjects>
{
    public const string Name = "Sample projects built in a temporary folder";
}
