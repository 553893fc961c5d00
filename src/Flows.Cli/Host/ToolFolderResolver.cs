using System.Reflection;
using System.Runtime.Loader;

namespace Flows.Cli.Host;

/// <summary>
/// Lets the host find its own dependencies (Spectre.Console...) in the tool's folder when the user's app does not
/// have them: the user's deps.json decides what loads first, and this only answers what it leaves unresolved. The
/// Flows assemblies of the user's side are never taken from the tool: a project without them must say so, not
/// run on a copy of another version.
/// </summary>
internal static class ToolFolderResolver
{
    private static readonly string[] UserSideAssemblies = ["Flows.Runtime", "Flows.Abstractions", "Flows.Worker", "Flows.Cluster"];

    public static void Install()
    {
        var folder = Path.GetDirectoryName(typeof(ToolFolderResolver).Assembly.Location)!;
        AssemblyLoadContext.Default.Resolving += (context, name) => Resolve(context, name, folder);
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name, string folder)
    {
        if (name.Name is null || UserSideAssemblies.Contains(name.Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = Path.Combine(folder, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
