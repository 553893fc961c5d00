using Flows.Graph;

[assembly: TaskRegistry(typeof(Flows.Runtime.Tests.TestTaskRegistry))]

namespace Flows.Runtime.Tests;

/// <summary>
/// The one task registry of this assembly (an assembly names at most one): what worker processes
/// look tasks up in, by id. Every static task descriptor of the tests is listed here;
/// <see cref="TestTaskRegistryTests"/> checks that none is missing. Flows.Cluster.Tests runs these tasks
/// (the conformance suite) on cluster workers too; its own tasks are in its own registry.
/// </summary>
public sealed class TestTaskRegistry : ITaskRegistry
{
    private static readonly TaskDescriptor[] All = [.. Runtime.Tests.Tasks.All, .. ConformanceTasks.All, .. WorkerTasks.All, .. Storage.StoreTasks.All];

    private static readonly Dictionary<string, TaskDescriptor> ById = All.ToDictionary(t => t.Id);

    /// <inheritdoc />
    public IReadOnlyList<TaskDescriptor> Tasks => All;

    /// <inheritdoc />
    public TaskDescriptor? Find(string taskId) => ById.GetValueOrDefault(taskId);
}
