using System.IO.Compression;
using System.Xml.Linq;

namespace Flows.Packaging.Tests;

/// <summary>One .nupkg, opened: its entries and its nuspec.</summary>
public sealed class PackageFile : IDisposable
{
    PackageFile(string path, ZipArchive archive, XDocument nuspec)
    {
        Path = path;
        Archive = archive;
        Nuspec = nuspec;
        Id = Metadata("id") ?? throw new InvalidOperationException($"{path}: the nuspec has no id.");
        Version = Metadata("version") ?? throw new InvalidOperationException($"{path}: the nuspec has no version.");
    }

    public string Path { get; }
    public ZipArchive Archive { get; }
    public XDocument Nuspec { get; }
    public string Id { get; }
    public string Version { get; }

    /// <summary>Entry paths with forward slashes, without the packaging bookkeeping (_rels, [Content_Types].xml, package/, the nuspec).</summary>
    public IReadOnlyList<string> Files =>
        Archive.Entries
            .Select(e => e.FullName.Replace('\\', '/'))
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal)
                           && !name.StartsWith("package/", StringComparison.Ordinal)
                           && name != "[Content_Types].xml"
                           && !(name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !name.Contains('/')))
            .ToList();

    public XElement MetadataElement =>
        Nuspec.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
        ?? throw new InvalidOperationException($"{Path}: the nuspec has no metadata element.");

    public XElement? MetadataChild(string localName) =>
        MetadataElement.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public string? Metadata(string localName) => MetadataChild(localName)?.Value.Trim();

    /// <summary>Every dependency element, in every group.</summary>
    public IReadOnlyList<Dependency> Dependencies =>
        (MetadataChild("dependencies")?.Descendants() ?? [])
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => new Dependency(
                (string?)e.Attribute("id") ?? "",
                (string?)e.Attribute("version") ?? "",
                (string?)e.Attribute("include"),
                (string?)e.Attribute("exclude"),
                (string?)e.Parent?.Attribute("targetFramework")))
            .ToList();

    public byte[] ReadAllBytes(string entryPath)
    {
        var entry = Archive.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/') == entryPath)
                    ?? throw new Xunit.Sdk.XunitException($"{System.IO.Path.GetFileName(Path)} has no {entryPath}.");
        return ReadAllBytes(entry);
    }

    public static byte[] ReadAllBytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static PackageFile Open(string path)
    {
        var archive = ZipFile.OpenRead(path);
        try
        {
            var nuspecEntries = archive.Entries
                .Where(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (nuspecEntries.Count != 1)
                throw new InvalidOperationException($"{path}: expected one nuspec at the root, found {nuspecEntries.Count}.");
            using var stream = nuspecEntries[0].Open();
            return new PackageFile(path, archive, XDocument.Load(stream));
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    public override string ToString() => System.IO.Path.GetFileName(Path);

    public void Dispose() => Archive.Dispose();
}

public sealed record Dependency(string Id, string Version, string? Include, string? Exclude, string? TargetFramework);
