namespace Flows.Cluster.Tests;

/// <summary>Cluster workers find this assembly's tasks only through <see cref="ClusterTaskRegistry"/>: a task missing from it fails on a worker, late.</summary>
public sealed class ClusterTaskRegistryTests : TaskRegistryTests<ClusterTaskRegistry>;
