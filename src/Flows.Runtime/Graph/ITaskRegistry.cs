using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Every task of one assembly, by id: what a worker process looks tasks up in. Generated once per
/// assembly that has flows, and named by <see cref="TaskRegistryAttribute"/>.
/// </summary>
/// <remarks>Implemented by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITaskRegistry
{
    /// <summary>The task with <paramref name="taskId"/> (<c>Namespace.Type.Method</c>), or null.</summary>
    TaskDescriptor? Find(string taskId);

    /// <summary>Every task the assembly's flows call.</summary>
    IReadOnlyList<TaskDescriptor> Tasks { get; }
}

/// <summary>Names the generated <see cref="ITaskRegistry"/> of an assembly.</summary>
/// <remarks>Applied by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class TaskRegistryAttribute : Attribute
{
    /// <summary>Names the registry type; it must implement <see cref="ITaskRegistry"/> and have a public parameterless constructor.</summary>
    public TaskRegistryAttribute(Type registryType) => RegistryType = registryType;

    /// <summary>The registry type.</summary>
    public Type RegistryType { get; }
}
