using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Flows.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class SymbolTests(PackagesFixture packs)
{
    static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    public void The_symbol_package_holds_the_PDB_of_each_lib_assembly(string id)
    {
        var package = packs.Package(id);
        using var symbols = packs.OpenSymbolPackage(package);
        var pdbs = symbols.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();
        var libDlls = LibDlls(package);
        Assert.NotEmpty(libDlls);
        Assert.All(libDlls, dll => Assert.Contains(Path.ChangeExtension(dll, ".pdb"), pdbs));
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    public void Each_PDB_in_the_symbol_package_is_the_one_its_assembly_was_built_with(string id)
    {
        var package = packs.Package(id);
        using var symbols = packs.OpenSymbolPackage(package);
        Assert.All(LibDlls(package), dll =>
        {
            using var pe = new PEReader(new MemoryStream(package.ReadAllBytes(dll)));
            var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
            var expected = pe.ReadCodeViewDebugDirectoryData(codeView);

            using var provider = OpenPdb(symbols, Path.ChangeExtension(dll, ".pdb"));
            var pdbId = provider.GetMetadataReader().DebugMetadataHeader?.Id
                        ?? throw new Xunit.Sdk.XunitException($"{dll}: the PDB is not a portable PDB.");
            Assert.Equal(expected.Guid, new Guid(pdbId.AsSpan(0, 16)));
            Assert.Equal(codeView.Stamp, BitConverter.ToUInt32(pdbId.AsSpan(16, 4)));
        });
    }

    [Theory]
    [MemberData(nameof(Known.Ids), MemberType = typeof(Known))]
    public void Each_PDB_embeds_the_source_of_every_document(string id)
    {
        var package = packs.Package(id);
        using var symbols = packs.OpenSymbolPackage(package);
        Assert.All(LibDlls(package), dll =>
        {
            using var provider = OpenPdb(symbols, Path.ChangeExtension(dll, ".pdb"));
            var reader = provider.GetMetadataReader();
            Assert.NotEmpty(reader.Documents);
            var withoutSource = reader.Documents
                .Where(document => !reader.GetCustomDebugInformation(document)
                    .Any(handle => reader.GetGuid(reader.GetCustomDebugInformation(handle).Kind) == EmbeddedSource))
                .Select(document => reader.GetString(reader.GetDocument(document).Name));
            Assert.Empty(withoutSource);
        });
    }

    static List<string> LibDlls(PackageFile package) =>
        package.Files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();

    static MetadataReaderProvider OpenPdb(ZipArchive symbols, string path)
    {
        var entry = symbols.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/') == path)
                    ?? throw new Xunit.Sdk.XunitException($"The symbol package has no {path}.");
        return MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(PackageFile.ReadAllBytes(entry)));
    }
}
