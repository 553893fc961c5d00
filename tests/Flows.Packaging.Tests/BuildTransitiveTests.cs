using System.Xml.Linq;

namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class BuildTransitiveTests(PackagesFixture packs)
{
    [Fact]
    public void Flows_carries_buildTransitive_Flows_props_and_Flows_targets()
    {
        var files = packs.Package(Known.Flows).Files;
        Assert.Contains("buildTransitive/Flows.props", files);
        Assert.Contains("buildTransitive/Flows.targets", files);
    }

    [Theory]
    [InlineData("FlowsCopyWorkerHostFilesToOutput")]
    [InlineData("FlowsAddWorkerHostFilesToPublish")]
    [InlineData("FlowsRefuseSingleFile")]
    public void Flows_targets_define_the_worker_host_target(string target)
    {
        var targets = Xml(packs.Package(Known.Flows), "buildTransitive/Flows.targets");
        var defined = targets.Root!.Elements().Where(e => e.Name.LocalName == "Target").Select(e => (string?)e.Attribute("Name"));
        Assert.Contains(target, defined);
    }

    [Fact]
    public void Flows_props_add_the_Flows_Worker_host()
    {
        Assert.Contains("Flows.Worker", WorkerHosts(Xml(packs.Package(Known.Flows), "buildTransitive/Flows.props")));
    }

    [Fact]
    public void Flows_Cluster_carries_buildTransitive_props_adding_the_Flows_Cluster_worker_host()
    {
        var props = Xml(packs.Package(Known.Cluster), "buildTransitive/Flows.Cluster.props");
        Assert.Contains("Flows.Cluster", WorkerHosts(props));
    }

    [Fact]
    public void Flows_Cluster_carries_the_target_that_drops_the_Roslyn_Orleans_lists_as_a_runtime_dependency()
    {
        var targets = Xml(packs.Package(Known.Cluster), "buildTransitive/Flows.Cluster.targets");
        Assert.Contains(targets.Descendants().Where(e => e.Name.LocalName == "Target"), t => (string?)t.Attribute("Name") == "FlowsTrimOrleansBuildTools");
    }

    static IEnumerable<string?> WorkerHosts(XDocument project) =>
        project.Descendants().Where(e => e.Name.LocalName == "FlowsWorkerHost").Select(e => (string?)e.Attribute("Include"));

    static XDocument Xml(PackageFile package, string entry)
    {
        using var stream = new MemoryStream(package.ReadAllBytes(entry));
        return XDocument.Load(stream);
    }
}
