namespace Flows;

/// <summary>An embedded store of runs, checkpoints and cached results (stub).</summary>
public sealed class FlowStore : IDisposable
{
    private FlowStore(string path) => Path = path;

    /// <summary>The store's folder.</summary>
    public string Path { get; }

    /// <summary>Opens (or creates) the store in folder <paramref name="path"/>.</summary>
    public static FlowStore Open(string path) => new(System.IO.Path.GetFullPath(path));

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
