namespace Flows.Storage;

/// <summary>
/// Large values as files of their own under the store's <c>blobs/</c> folder: written before the row
/// that names them is committed (a row never names a file that was not fully written by then), read
/// whole and checked by <see cref="StoredValue"/>. A file whose row was never committed (the process
/// died in between) is an orphan that <see cref="FlowStore.Clean"/> removes.
/// </summary>
internal sealed class BlobFiles
{
    public BlobFiles(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public string Folder { get; }

    /// <summary>Values of this many bytes or more go to a file.</summary>
    public const int InlineLimit = 64 * 1024;

    /// <summary>A new file to write a value into, and its name.</summary>
    public (FileStream File, string Name) Create()
    {
        var name = Guid.NewGuid().ToString("N") + ".bin";
        return (new FileStream(System.IO.Path.Combine(Folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0), name);
    }

    /// <summary>A copy of file <paramref name="name"/> under a new name.</summary>
    public string Copy(string name)
    {
        var copy = Guid.NewGuid().ToString("N") + ".bin";
        File.Copy(System.IO.Path.Combine(Folder, name), System.IO.Path.Combine(Folder, copy));
        return copy;
    }

    public byte[]? TryRead(string name, long length, out string? problem)
    {
        if (!IsPlainName(name))
        {
            problem = $"it names a file '{name}' outside the store";
            return null;
        }

        var path = System.IO.Path.Combine(Folder, name);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            if (file.Length != length || length > Array.MaxLength)
            {
                problem = $"its file '{path}' has {file.Length} bytes where {length} were stored";
                return null;
            }

            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            file.ReadExactly(bytes);
            problem = null;
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"its file '{path}' cannot be read ({ex.Message.TrimEnd('.')})";
            return null;
        }
    }

    public void Delete(string name)
    {
        if (IsPlainName(name))
        {
            try
            {
                File.Delete(System.IO.Path.Combine(Folder, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left as an orphan: Clean removes it later.
            }
        }
    }

    /// <summary>A name this class made: no folder part, so a damaged row cannot point elsewhere.</summary>
    private static bool IsPlainName(string name) =>
        name.Length is > 4 and < 64 && name.EndsWith(".bin", StringComparison.Ordinal) && name.IndexOfAny(['/', '\\', ':']) < 0 && !name.StartsWith('.');
}
