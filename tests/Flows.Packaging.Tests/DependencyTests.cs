namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class DependencyTests(PackagesFixture packs)
{
    static readonly string[] AllAssets = ["compile", "runtime", "contentfiles", "build", "buildtransitive", "native", "analyzers"];

    [Theory]
    [InlineData(Known.Flows, Known.Runtime)]
    [InlineData(Known.Cluster, Known.Flows)]
    [InlineData(Known.ClusterKubernetes, Known.Cluster)]
    [InlineData(Known.Runtime, Known.Abstractions)]
    [InlineData(Known.Console, Known.Runtime)]
    [InlineData(Known.Hosting, Known.Flows)]
    [InlineData(Known.Hosting, Known.Runtime)]
    public void A_package_depends_on_the_other_Flows_package_of_its_own_version(string id, string dependencyId)
    {
        var dependency = Assert.Single(packs.Package(id).Dependencies, d => d.Id == dependencyId);
        // Flows packages use each other's internals: the dependency is pinned to this very build's version.
        Assert.Equal($"[{packs.ExpectedVersion}]", dependency.Version);
    }

    [Fact]
    public void Flows_Cluster_takes_the_build_assets_of_Flows_so_its_buildTransitive_targets_flow()
    {
        var dependency = Assert.Single(packs.Package(Known.Cluster).Dependencies, d => d.Id == Known.Flows);
        var assets = Assets(dependency);
        Assert.True(assets.Contains("build") && assets.Contains("buildtransitive"),
            $"Flows.Cluster's dependency on Flows (include='{dependency.Include}', exclude='{dependency.Exclude}') leaves out build assets; it takes: {string.Join(", ", assets)}.");
    }

    [Fact]
    public void Flows_Cluster_takes_the_analyzers_of_Flows_so_its_users_get_the_generator()
    {
        var dependency = Assert.Single(packs.Package(Known.Cluster).Dependencies, d => d.Id == Known.Flows);
        Assert.Contains("analyzers", Assets(dependency));
    }

    [Fact]
    public void Flows_Hosting_takes_the_analyzers_and_build_assets_of_Flows_and_leaves_Orleans_to_Flows_Cluster()
    {
        var dependency = Assert.Single(packs.Package(Known.Hosting).Dependencies, d => d.Id == Known.Flows);
        var assets = Assets(dependency);
        Assert.True(assets.Contains("analyzers") && assets.Contains("buildtransitive"),
            $"Flows.Hosting's dependency on Flows (include='{dependency.Include}', exclude='{dependency.Exclude}') leaves out the generator or the worker host targets; it takes: {string.Join(", ", assets)}.");
        Assert.Contains(packs.Package(Known.Hosting).Dependencies, d => d.Id == "Cronos");
        Assert.DoesNotContain(packs.Package(Known.Hosting).Dependencies, d => d.Id.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || d.Id == Known.Cluster);
    }

    [Fact]
    public void No_package_depends_on_the_Orleans_build_time_packages()
    {
        string[] buildTime = ["Microsoft.Orleans.Sdk", "Microsoft.Orleans.CodeGenerator", "Microsoft.Orleans.Analyzers"];
        var offenders = packs.Packages.Values
            .SelectMany(p => p.Dependencies.Where(d => buildTime.Contains(d.Id, StringComparer.OrdinalIgnoreCase)).Select(d => $"{p.Id} -> {d.Id} {d.Version}"));
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_package_depends_on_a_Roslyn_package()
    {
        var offenders = packs.Packages.Values
            .SelectMany(p => p.Dependencies.Where(d => d.Id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)).Select(d => $"{p.Id} -> {d.Id} {d.Version}"));
        Assert.Empty(offenders);
    }

    [Fact]
    public void Flows_Cluster_leaves_the_Kubernetes_client_to_Flows_Cluster_Kubernetes()
    {
        Assert.DoesNotContain(packs.Package(Known.Cluster).Dependencies, d => d.Id == "Microsoft.Orleans.Hosting.Kubernetes");
        Assert.Contains(packs.Package(Known.ClusterKubernetes).Dependencies, d => d.Id == "Microsoft.Orleans.Hosting.Kubernetes");
    }

    [Fact]
    public void Flows_Console_brings_Spectre_Console_and_no_other_package_does()
    {
        Assert.Contains(packs.Package(Known.Console).Dependencies, d => d.Id == "Spectre.Console");
        var others = packs.Packages.Values.Where(p => p.Id != Known.Console)
            .SelectMany(p => p.Dependencies.Where(d => d.Id.StartsWith("Spectre.", StringComparison.Ordinal)).Select(d => $"{p.Id} -> {d.Id}"));
        Assert.Empty(others);
    }

    /// <summary>The asset types a dependency passes on: include (all when absent) less exclude.</summary>
    static SortedSet<string> Assets(Dependency dependency)
    {
        static IEnumerable<string> Flags(string? list) =>
            (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => f.ToLowerInvariant())
                .SelectMany(f => f == "all" ? AllAssets : f == "none" ? [] : [f]);

        var included = new SortedSet<string>(dependency.Include is null ? AllAssets : Flags(dependency.Include));
        included.ExceptWith(Flags(dependency.Exclude));
        return included;
    }
}
