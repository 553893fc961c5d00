using System.Reflection;
using System.Runtime.Loader;

namespace Flows.Worker;

/// <summary>
/// Loads a user assembly by path with its own dependencies (from its .deps.json), except the Flows
/// assemblies, which are shared with the host so that task descriptors and codecs are the same types.
/// </summary>
internal sealed class WorkerLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal) { "Flows.Runtime", "Flows.Abstractions" };

    private readonly AssemblyDependencyResolver _resolver;

    public WorkerLoadContext(string mainAssemblyPath)
        : base($"Flows worker: {Path.GetFileName(mainAssemblyPath)}")
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

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
