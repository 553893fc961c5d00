using System.Xml.Linq;

namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class PackageSetTests(PackagesFixture packs)
{
    [Fact]
    public void Packing_the_solution_produces_the_Flows_Runtime_Abstractions_and_Cluster_packages()
    {
        var missing = Known.PackageIds.Where(id => !packs.Packages.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0,
            $"Missing packages: {string.Join(", ", missing)}; produced: {string.Join(", ", packs.Packages.Keys.Order())}.");
    }

    [Fact]
    public void All_the_packages_carry_one_version_made_of_VersionPrefix_and_the_VersionSuffix_given()
    {
        var ours = packs.Packages.Values
            .Where(p => Known.PackageIds.Contains(p.Id) || Known.ToolIds.Contains(p.Id) || p.Id == Known.Templates)
            .ToList();
        Assert.NotEmpty(ours);
        Assert.All(ours, p => Assert.Equal(packs.ExpectedVersion, p.Version));
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_is_named_by_its_id_and_version(string id)
    {
        var package = packs.Package(id);
        Assert.Equal($"{id}.{packs.ExpectedVersion}.nupkg", Path.GetFileName(package.Path));
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_has_a_symbol_package_of_the_same_id_and_version_beside_it(string id)
    {
        var package = packs.Package(id);
        using var symbols = packs.OpenSymbolPackage(package);
        var nuspecEntry = Assert.Single(symbols.Entries, e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal(id, metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal(packs.ExpectedVersion, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        var packageType = metadata.Descendants().FirstOrDefault(e => e.Name.LocalName == "packageType");
        Assert.Equal("SymbolsPackage", (string?)packageType?.Attribute("name"));
    }

    [SkippableFact]
    public void A_Flows_Templates_package_if_produced_is_a_template_package_with_content()
    {
        Skip.IfNot(packs.Packages.TryGetValue(Known.Templates, out var templates),
            "The pack produced no Flows.Templates package (none in the solution yet).");

        Assert.Contains(templates!.Files, f => f.StartsWith("content/", StringComparison.Ordinal));
        var packageTypes = templates.MetadataChild("packageTypes")?.Elements()
            .Where(e => e.Name.LocalName == "packageType")
            .Select(e => (string?)e.Attribute("name"))
            .ToList() ?? [];
        Assert.Contains("Template", packageTypes);
    }
}
