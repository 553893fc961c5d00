using System.Reflection;
using System.Runtime.Loader;

namespace Flows.Workers;

/// <summary>
/// Loads a user assembly by path with its own dependencies (from its .deps.json), except the Flows
/// assemblies, which are shared with the host so that task descriptors and codecs are the same types.
/// Used by both worker hosts (worker processes and cluster silos).
/// </summary>
internal sealed class TaskAssemblyLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal) { "Flows.Runtime", "Flows.Abstractions", "Flows.Cluster" };

    private readonly AssemblyDependencyResolver _resolver;

    public TaskAssemblyLoadContext(string mainAssemblyPath)
        : base($"Flows tasks: {Path.GetFileName(mainAssemblyPath)}")
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "Workers load user assemblies by path at run time; worker hosts are never trimmed.")]
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && Shared.Contains(name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
