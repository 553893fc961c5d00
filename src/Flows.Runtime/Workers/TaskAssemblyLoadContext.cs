using System.Reflection;
using System.Runtime.Loader;

namespace Flows.Workers;

/// <summary>
/// Loads a user assembly by path with its own dependencies (from its .deps.json), except the Flows
/// assemblies, which are shared with the host so that task descriptors and codecs are the same types,
/// and any dependency that resolves to the very file the host itself runs with (its trusted platform
/// assemblies): that one is shared too. A self-contained app lists the framework (System.Memory...) as
/// its own files; loading a second copy here would make <c>IBufferWriter&lt;byte&gt;</c> of the task's
/// codec another type than the host's. Used by both worker hosts (worker processes and cluster silos).
/// </summary>
internal sealed class TaskAssemblyLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal) { "Flows.Runtime", "Flows.Abstractions", "Flows.Cluster" };

    /// <summary>Simple name → file of every assembly the host process itself loads from (empty if the host gives none).</summary>
    private static readonly Lazy<Dictionary<string, string>> HostAssemblies = new(ReadHostAssemblies);

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
        if (path is null || IsHostFile(assemblyName.Name, path))
        {
            return null;
        }

        return LoadFromAssemblyPath(path);
    }

    private static bool IsHostFile(string? name, string path) =>
        name is not null
        && HostAssemblies.Value.TryGetValue(name, out var hostPath)
        && string.Equals(Path.GetFullPath(hostPath), Path.GetFullPath(path), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static Dictionary<string, string> ReadHostAssemblies()
    {
        var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var file in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                assemblies.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
        }

        return assemblies;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
