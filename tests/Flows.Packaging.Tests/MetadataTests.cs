using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed partial class MetadataTests(PackagesFixture packs)
{
    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_is_licensed_under_the_MIT_license_expression(string id)
    {
        var license = packs.Package(id).MetadataChild("license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value.Trim());
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_names_a_README_md_readme_that_it_carries(string id)
    {
        var package = packs.Package(id);
        var readme = package.Metadata("readme")?.Replace('\\', '/');
        Assert.False(string.IsNullOrEmpty(readme), $"{package} names no readme.");
        Assert.Equal("README.md", Path.GetFileName(readme));
        Assert.Contains(readme!.TrimStart('/'), package.Files);
        Assert.NotEmpty(package.ReadAllBytes(readme.TrimStart('/')));
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_has_a_description(string id)
    {
        var description = packs.Package(id).Metadata("description");
        Assert.False(string.IsNullOrWhiteSpace(description));
        // The SDK's default when a project sets none.
        Assert.NotEqual("Package Description", description);
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    public void Each_package_has_authors_other_than_the_default(string id)
    {
        var authors = packs.Package(id).Metadata("authors");
        Assert.False(string.IsNullOrWhiteSpace(authors));
        // The SDK's default is the assembly name.
        Assert.NotEqual(Known.LibAssembly[id], authors);
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    [MemberData(nameof(Known.Tools), MemberType = typeof(Known))]
    public void Each_package_names_its_git_repository_commit(string id)
    {
        var repository = packs.Package(id).MetadataChild("repository");
        Assert.NotNull(repository);
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches(CommitHash(), (string?)repository.Attribute("commit") ?? "");
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    public void Each_package_assembly_is_a_deterministic_build(string id)
    {
        var package = packs.Package(id);
        var dlls = package.Files.Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(dlls);
        var notReproducible = dlls.Where(dll =>
        {
            using var pe = new PEReader(new MemoryStream(package.ReadAllBytes(dll)));
            return !pe.ReadDebugDirectory().Any(entry => entry.Type == DebugDirectoryEntryType.Reproducible);
        });
        Assert.Empty(notReproducible);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
