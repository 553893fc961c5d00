using System.IO.Compression;

namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class ContentTests(PackagesFixture packs)
{
    const string AnalyzerSlot = "analyzers/dotnet/roslyn4.8/cs/";

    [Fact]
    public void Flows_has_exactly_one_analyzer_slot_holding_the_generator_and_the_code_fixes_and_nothing_else()
    {
        var analyzers = packs.Package(Known.Flows).Files
            .Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal([AnalyzerSlot + "Flows.CodeFixes.dll", AnalyzerSlot + "Flows.Generator.dll"], analyzers);
    }

    [Theory]
    [InlineData(Known.Runtime)]
    [InlineData(Known.Abstractions)]
    [InlineData(Known.Cluster)]
    [InlineData(Known.Console)]
    [InlineData(Known.Hosting)]
    public void Only_the_Flows_package_carries_analyzers(string id)
    {
        Assert.DoesNotContain(packs.Package(id).Files, f => f.StartsWith("analyzers/", StringComparison.Ordinal));
    }

    [Fact]
    public void No_package_contains_a_Roslyn_assembly()
    {
        var offenders = AllFiles()
            .Where(f => FileName(f.File).StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)
                        && f.File.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_package_contains_an_Orleans_assembly()
    {
        var offenders = AllFiles()
            .Where(f => (FileName(f.File).StartsWith("Orleans.", StringComparison.OrdinalIgnoreCase)
                         || FileName(f.File).StartsWith("Microsoft.Orleans.", StringComparison.OrdinalIgnoreCase))
                        && f.File.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_package_contains_a_deps_json_or_runtimeconfig_json_because_hosts_get_the_apps_own()
    {
        // A .NET tool is the one exception: `dotnet tool` runs it on its own files (ToolPackageTests).
        var offenders = AllFiles()
            .Where(f => !(Known.ToolIds.Any(id => f.Package.StartsWith(id + ".", StringComparison.Ordinal)) && f.File.StartsWith("tools/", StringComparison.Ordinal)))
            .Where(f => f.File.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
                        || f.File.EndsWith(".runtimeconfig.json", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(offenders);
    }

    [Theory]
    [MemberData(nameof(Known.IdsWithAssembly), MemberType = typeof(Known))]
    public void Each_package_has_its_assembly_in_lib_net10(string id, string assembly)
    {
        Assert.Contains($"lib/net10.0/{assembly}.dll", packs.Package(id).Files);
    }

    [Theory]
    [MemberData(nameof(Known.IdsWithAssembly), MemberType = typeof(Known))]
    public void Each_package_has_the_xml_docs_of_its_assembly_in_lib_net10(string id, string assembly)
    {
        Assert.Contains($"lib/net10.0/{assembly}.xml", packs.Package(id).Files);
    }

    [Theory]
    [MemberData(nameof(Known.IdsWithAssembly), MemberType = typeof(Known))]
    public void Each_package_lib_folder_holds_only_its_own_assembly_and_docs_for_net10(string id, string assembly)
    {
        var lib = packs.Package(id).Files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal([$"lib/net10.0/{assembly}.dll", $"lib/net10.0/{assembly}.xml"], lib);
    }

    /// <summary>Every file of every package the pack produced, known or not, and of every symbol package.</summary>
    IEnumerable<(string Package, string File)> AllFiles()
    {
        var files = packs.Packages.Values.SelectMany(p => p.Files.Select(f => (p.ToString(), f))).ToList();
        foreach (var path in packs.SymbolPackagePaths)
        {
            using var symbols = ZipFile.OpenRead(path);
            files.AddRange(symbols.Entries.Select(e => (Path.GetFileName(path), e.FullName.Replace('\\', '/'))));
        }
        Assert.NotEmpty(files);
        return files;
    }

    static string FileName(string entry) => entry[(entry.LastIndexOf('/') + 1)..];
}
