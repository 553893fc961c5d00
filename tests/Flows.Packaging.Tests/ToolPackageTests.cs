using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Flows.Packaging.Tests;

/// <summary>
/// The Flows.Cli package is a .NET tool: `dotnet tool install Flows.Cli` gives the `flows` command. Its files are
/// under tools/net10.0/any/ with their own deps and runtimeconfig; it carries no Flows assembly (the tool runs the
/// user's, inside their project's dependencies) and depends on no package.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class ToolPackageTests(PackagesFixture packs)
{
    const string Folder = "tools/net10.0/any/";

    [Fact]
    public void Packing_the_solution_produces_the_Flows_Cli_tool_package()
    {
        Assert.True(packs.Packages.ContainsKey(Known.Cli), $"No {Known.Cli} package; produced: {string.Join(", ", packs.Packages.Keys.Order())}.");
    }

    [Fact]
    public void Flows_Cli_is_a_DotnetTool_package_whose_command_is_flows()
    {
        var package = packs.Package(Known.Cli);
        var types = package.MetadataChild("packageTypes")?.Elements().Select(e => (string?)e.Attribute("name")).ToList() ?? [];
        Assert.Equal(["DotnetTool"], types);

        var settings = XDocument.Load(new MemoryStream(package.ReadAllBytes(Folder + "DotnetToolSettings.xml")));
        var command = Assert.Single(settings.Descendants(), e => e.Name.LocalName == "Command");
        Assert.Equal("flows", (string?)command.Attribute("Name"));
        Assert.Equal("Flows.Cli.dll", (string?)command.Attribute("EntryPoint"));
    }

    [Fact]
    public void Flows_Cli_carries_its_assembly_with_its_own_deps_and_runtimeconfig_files()
    {
        var files = packs.Package(Known.Cli).Files;
        Assert.Contains(Folder + "Flows.Cli.dll", files);
        Assert.Contains(Folder + "Flows.Cli.deps.json", files);
        Assert.Contains(Folder + "Flows.Cli.runtimeconfig.json", files);
        Assert.Contains(Folder + "Spectre.Console.dll", files);
        Assert.Contains(Folder + "System.CommandLine.dll", files);
        Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public void Flows_Cli_carries_no_Flows_assembly_but_its_own_and_the_display_so_the_users_Flows_is_the_one_that_runs()
    {
        var flows = packs.Package(Known.Cli).Files
            .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(f => f[(f.LastIndexOf('/') + 1)..])
            .Where(f => f.StartsWith("Flows.", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["Flows.Cli.dll", "Flows.Console.dll"], flows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Flows_Cli_depends_on_no_package()
    {
        Assert.Empty(packs.Package(Known.Cli).Dependencies);
    }

    [Fact]
    public void Flows_Cli_assembly_is_deterministic_and_its_PDB_is_in_the_symbol_package()
    {
        var package = packs.Package(Known.Cli);
        using (var pe = new PEReader(new MemoryStream(package.ReadAllBytes(Folder + "Flows.Cli.dll"))))
        {
            Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
        }

        using var symbols = packs.OpenSymbolPackage(package);
        Assert.Contains(symbols.Entries, e => e.FullName.Replace('\\', '/') == Folder + "Flows.Cli.pdb");
    }
}
