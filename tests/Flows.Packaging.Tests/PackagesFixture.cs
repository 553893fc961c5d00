using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Flows.Packaging.Tests;

/// <summary>
/// Packs the solution once, with <c>--no-build</c>, in the configuration this test assembly was built in, into a
/// temporary folder, with a version suffix of its own (<c>layout.g…</c>), and opens every package it finds there.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackagesFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Configuration = FindConfiguration();
        VersionPrefix = ReadVersionPrefix(RepositoryRoot);
        VersionSuffix = "layout.g" + Guid.NewGuid().ToString("N")[..12];
        OutputDirectory = Path.Combine(Path.GetTempPath(), "flows-packaging-tests-" + VersionSuffix);
        // The output folder is made afresh for this run, so all it will hold is what this pack produced.
        Directory.CreateDirectory(OutputDirectory);

        var packages = new Dictionary<string, PackageFile>(StringComparer.OrdinalIgnoreCase);
        try
        {
            Pack();
            foreach (var path in Directory.GetFiles(OutputDirectory, "*.nupkg"))
            {
                var package = PackageFile.Open(path);
                packages.Add(package.Id, package);
            }
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            foreach (var package in packages.Values)
                package.Dispose();
            DeleteOutputDirectory();
            throw;
        }
        Packages = packages;
        SymbolPackagePaths = Directory.GetFiles(OutputDirectory, "*.snupkg");
    }

    public string RepositoryRoot { get; }
    public string Configuration { get; }
    public string VersionPrefix { get; }
    public string VersionSuffix { get; }
    public string ExpectedVersion => $"{VersionPrefix}-{VersionSuffix}";
    public string OutputDirectory { get; }

    /// <summary>Every .nupkg the pack produced, by package id (the nuspec's, not the file name's).</summary>
    public IReadOnlyDictionary<string, PackageFile> Packages { get; }

    public IReadOnlyList<string> SymbolPackagePaths { get; }

    /// <summary>The package the tests need; fails with the list of what was produced when it is missing.</summary>
    public PackageFile Package(string id) =>
        Packages.TryGetValue(id, out var package)
            ? package
            : throw new Xunit.Sdk.XunitException($"The pack produced no package '{id}'; it produced: {string.Join(", ", Packages.Keys.Order())}.");

    /// <summary>The .snupkg beside a package, opened; fails when there is none.</summary>
    public ZipArchive OpenSymbolPackage(PackageFile package)
    {
        var path = Path.ChangeExtension(package.Path, ".snupkg");
        if (!File.Exists(path))
            throw new Xunit.Sdk.XunitException($"No symbol package beside {Path.GetFileName(package.Path)} (expected {Path.GetFileName(path)}).");
        return ZipFile.OpenRead(path);
    }

    void Pack()
    {
        var solution = Path.Combine(RepositoryRoot, "Flows.sln");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
            dotnet = "dotnet";

        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "pack", solution, "--no-build", "-c", Configuration, "-o", OutputDirectory,
                     $"-p:VersionSuffix={VersionSuffix}",
                     // The intermediate nuspecs (one pair per project and version) go with the packages, not into obj/.
                     $"-p:NuspecOutputPath={Path.Combine(OutputDirectory, "nuspec")}{Path.DirectorySeparatorChar}",
                     "-nologo", "-nodeReuse:false",
                 })
            start.ArgumentList.Add(argument);
        // When the tests run under `dotnet test`, these point the child at the test run's MSBuild; let it find its own.
        foreach (var variable in new[] { "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(variable);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var commandLine = $"{dotnet} {string.Join(' ', start.ArgumentList)}";
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(PackTimeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` did not finish within {PackTimeout.TotalMinutes} minutes. Its output so far:\n{Text(output)}");
        }
        process.WaitForExit(); // drains the redirected output

        var text = Text(output);
        if (process.ExitCode != 0)
        {
            var hint = LooksLikeMissingBuildOutputs(text)
                ? $"The solution's {Configuration} build outputs are missing: build the solution first (dotnet build Flows.sln){(Configuration == "Debug" ? "" : $", with -c {Configuration}")}, then run these tests with --no-build."
                : $"If the solution's build outputs for {Configuration} are missing, build the solution first (dotnet build Flows.sln).";
            throw new InvalidOperationException($"`{commandLine}` failed with exit code {process.ExitCode}. {hint}\n{text}");
        }
        if (Directory.GetFiles(OutputDirectory, "*.nupkg").Length == 0)
            throw new InvalidOperationException($"`{commandLine}` succeeded but produced no .nupkg in {OutputDirectory}. Its output:\n{text}");
    }

    static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    // NU5026: "The file '…' to be packed was not found on disk"; NU5019: "File not found"; MSB3030: "Could not copy the
    // file … because it was not found"; NETSDK1085: --no-build but the build target was invoked.
    static bool LooksLikeMissingBuildOutputs(string output) =>
        new[] { "NU5026", "NU5019", "MSB3030", "NETSDK1085", "not found on disk", "was not found", "File not found" }
            .Any(marker => output.Contains(marker, StringComparison.OrdinalIgnoreCase));

    static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Flows.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No folder holding Flows.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration this test assembly was built in: the SDK's AssemblyConfiguration attribute, else the bin path (bin/&lt;Configuration&gt;/&lt;tfm&gt;/).</summary>
    static string FindConfiguration()
    {
        var attribute = typeof(PackagesFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        if (!string.IsNullOrWhiteSpace(attribute))
            return attribute;
        var tfmDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var configurationDirectory = tfmDirectory.Parent;
        if (configurationDirectory?.Parent?.Name == "bin")
            return configurationDirectory.Name;
        throw new InvalidOperationException($"Cannot tell the build configuration: no AssemblyConfiguration attribute and {AppContext.BaseDirectory} is not bin/<Configuration>/<tfm>/.");
    }

    static string ReadVersionPrefix(string repositoryRoot)
    {
        var props = XDocument.Load(Path.Combine(repositoryRoot, "Directory.Build.props"));
        var prefix = props.Descendants().FirstOrDefault(e => e.Name.LocalName == "VersionPrefix")?.Value.Trim();
        return !string.IsNullOrEmpty(prefix)
            ? prefix
            : throw new InvalidOperationException("The root Directory.Build.props sets no VersionPrefix.");
    }

    public void Dispose()
    {
        foreach (var package in Packages.Values)
            package.Dispose();
        DeleteOutputDirectory();
    }

    void DeleteOutputDirectory()
    {
        try { Directory.Delete(OutputDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "Packages made by dotnet pack Flows.sln";
}
