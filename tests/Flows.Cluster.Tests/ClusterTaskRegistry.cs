using Flows.Graph;

[assembly: TaskRegistry(typeof(Flows.Cluster.Tests.ClusterTaskRegistry))]

namespace Flows.Cluster.Tests;

/// <summary>
/// The one task registry of this assembly (an assembly names at most one): cluster workers load the
/// assembly that declares a task and look the task up in its registry, by id. The tasks this assembly
/// declares are listed here (<see cref="ClusterTaskRegistryTests"/> checks that none is missing); the
/// conformance suite's tasks are declared in Flows.Runtime.Tests and found through its own
/// <see cref="TestTaskRegistry"/>.
/// </summary>
public sealed class ClusterTaskRegistry : ITaskRegistry
{
    private static readonly TaskDescriptor[] All = [.. ClusterTasks.All, .. ClusterStoreTasks.All, .. ClusterMemoryTasks.All];

    private static readonly Dictionary<string, TaskDescriptor> ById = All.ToDictionary(t => t.Id);

    /// <inheritdoc />
    public IReadOnlyList<TaskDescriptor> Tasks => All;

    /// <inheritdoc />
    public TaskDescriptor? Find(string taskId) => ById.GetValueOrDefault(taskId);
}
