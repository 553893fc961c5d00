namespace Flows;

/// <summary>
/// The bytes one top-level run and its subflows moved between processes, for a dispatcher shared by
/// many runs (a process pool), which cannot keep a count per run itself.
/// </summary>
internal sealed class RunTraffic
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);
}
