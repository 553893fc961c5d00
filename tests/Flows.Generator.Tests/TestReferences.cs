using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Flows;
using Flows.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>
/// Metadata references for test compilations, taken from the SDK's own targeting pack next to
/// the running runtime and from the Flows assemblies: no NuGet at test time.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_all = new(Load);

    public static ImmutableArray<MetadataReference> All => s_all.Value;

    /// <summary>Empty reference assemblies: the tests add <see cref="All"/> themselves.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    private static ImmutableArray<MetadataReference> Load()
    {
        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var refDirectory = Directory.GetDirectories(packs)
            .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(x => x.Version is not null && Directory.Exists(Path.Combine(x.Dir, "ref", "net10.0")))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "ref", "net10.0"))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"No net10.0 targeting pack under {packs}.");

        return Directory.GetFiles(refDirectory, "*.dll")
            .Order(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(FlowAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(FlowGraph).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location))
            .ToImmutableArray();
    }
}
