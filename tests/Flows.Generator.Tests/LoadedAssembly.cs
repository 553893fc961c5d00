using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// A test compilation emitted and loaded into a collectible context. Flows assemblies resolve to
/// the ones the test process already loaded, so the graph types are the test's own.
/// </summary>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    public LoadedAssembly(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        _context = new AssemblyLoadContext("FlowsUnderTest", isCollectible: true);
        Assembly = _context.LoadFromStream(stream);
    }

    public Assembly Assembly { get; }

    /// <summary>A public static property of a type named by its metadata name (<c>Etl.Pipeline+ReportFlow</c>).</summary>
    public object? StaticProperty(string typeName, string property) =>
        Assembly.GetType(typeName, throwOnError: true)!.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

    public Type Type(string typeName) => Assembly.GetType(typeName, throwOnError: true)!;

    public void Dispose() => _context.Unload();
}
