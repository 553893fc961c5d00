using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Flows.Graph;

namespace Flows.Workers;

/// <summary>
/// Loads a user assembly in a worker and finds its generated task registry, refusing a build other
/// than the one the flow process runs (compared by module version id).
/// </summary>
internal static class TaskAssemblies
{
    /// <summary>The assembly that defines <paramref name="task"/>: the one a worker must load to run it.</summary>
    public static Assembly DeclaringAssembly(TaskDescriptor task) =>
        task.Invoke.Method.DeclaringType?.Assembly
            ?? throw new FlowDefinitionException($"Task '{task.Name}' has an invoker without a declaring type; generated invokers always have one.");

    /// <summary>Loads <paramref name="path"/>; <paramref name="expectedBuild"/> null accepts whatever build is there.</summary>
    /// <returns>The registry and the build found, or an error that says what to do.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2072",
        Justification = "Workers load user assemblies by path at run time; they are not trimmed. The registry type is generated with a public constructor.")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "As above: worker hosts are not trimmed.")]
    public static (ITaskRegistry? Registry, Guid Build, string? Error) Load(string path, Guid? expectedBuild)
    {
        // Checked before the load context exists: its dependency resolver aborts the process on some paths.
        if (TaskAssemblyFile.Refusal(path) is { } refusal)
        {
            return (null, Guid.Empty, refusal);
        }

        try
        {
            var context = new TaskAssemblyLoadContext(path);
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
            var actual = assembly.ManifestModule.ModuleVersionId;
            if (expectedBuild is { } build && actual != build)
            {
                return (null, actual,
                    $"the worker found another build of {Path.GetFileName(path)} at {path} (build {actual}) than the flow process runs (build {build}). " +
                    "The assembly was rebuilt or replaced after the flow process started: restart the flow process so that it and its workers run the same build");
            }

            var attribute = assembly.GetCustomAttribute<TaskRegistryAttribute>();
            if (attribute is null)
            {
                return (null, actual, $"{path} has no generated task registry: build it with the Flows generator (reference Flows.Generator as an analyzer)");
            }

            return ((ITaskRegistry)Activator.CreateInstance(attribute.RegistryType)!, actual, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or BadImageFormatException or InvalidCastException or MissingMethodException or TargetInvocationException or ArgumentException)
        {
            return (null, Guid.Empty, $"the worker could not load {path}: {ex.Message}");
        }
    }
}
