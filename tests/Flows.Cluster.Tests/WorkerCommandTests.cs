using Flows.Cluster.Hosting;

namespace Flows.Cluster.Tests;

public sealed class WorkerCommandTests
{
    [Fact]
    public void KubernetesHostingWithoutItsPackageIsRefusedNamingThePackage()
    {
        // This test assembly references Flows.Cluster but not Flows.Cluster.Kubernetes, like a flow process.
        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.Parse(
            ["worker", "--assembly", typeof(WorkerCommandTests).Assembly.Location, "--kubernetes", "--redis", "127.0.0.1:6379"]));

        Assert.Contains("dotnet add package Flows.Cluster.Kubernetes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaticMembershipNeedsNoKubernetesPackage()
    {
        var launch = WorkerLaunch.Parse(["worker", "--assembly", typeof(WorkerCommandTests).Assembly.Location, "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"]);

        Assert.False(launch.Silo.Kubernetes);
    }
}
