using Flows.Cluster.Memory;
using Flows.Cluster.Worker;
using M = Flows.Cluster.Tests.ClusterMemoryTasks;

namespace Flows.Cluster.Tests;

/// <summary>The worker's result store under memory pressure, on its own: least recently used results go to disk first, come back whole, and a failed spill loses nothing.</summary>
public sealed class ResultStoreSpillTests : IDisposable
{
    private const long MiB = 1L << 20;
    private static readonly Guid Client = Guid.NewGuid();
    private readonly string _root = Directory.CreateTempSubdirectory("flows-spilltest-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static int[] Block(int mib, int seed)
    {
        var block = new int[mib * (int)MiB / 4];
        Array.Fill(block, seed);
        return block;
    }

    [Fact]
    public void The_least_recently_used_results_are_spilled_first_and_read_back_whole()
    {
        using var store = new ResultStore(new SpillFolder(_root), targetBytes: 3 * MiB);
        var over = 0;
        store.OverTarget += () => over++;
        for (var i = 1; i <= 4; i++)
        {
            store.Put(Client, i, Block(1, i), M.Block);
        }

        Assert.Equal(1, over);
        Assert.True(store.TryGet(Client, 1, out _));   // 1 is used again: 2 is now the oldest

        var freed = store.SpillOldest(store.HeldBytes - store.TargetBytes);

        Assert.True(freed >= MiB);
        Assert.Equal(1, store.SpilledCount);
        Assert.Equal(3 * MiB, store.HeldBytes);
        Assert.Equal(1, store.Counters.Spills);
        Assert.True(store.Counters.BytesSpilled > MiB);
        Assert.True(store.TryGet(Client, 2, out var back));
        Assert.Equal(Block(1, 2), (int[])back!);
        Assert.True(store.Counters.BytesReadBack > MiB);
        Assert.Equal(0, store.SpilledCount);
    }

    [Fact]
    public void A_spilled_result_is_fetched_as_the_bytes_on_disk_without_decoding()
    {
        using var store = new ResultStore(new SpillFolder(_root), targetBytes: MiB);
        store.Put(Client, 1, Block(2, 9), M.Block);
        var before = store.Serialize(Client, 1)!;
        store.SpillOldest(long.MaxValue);

        var fetched = store.Serialize(Client, 1);

        Assert.Equal(before, fetched);
        Assert.Equal(1, store.SpilledCount);
    }

    [Fact]
    public void A_released_spilled_result_leaves_no_file()
    {
        var folder = new SpillFolder(_root);
        using var store = new ResultStore(folder, targetBytes: MiB);
        store.Put(Client, 1, Block(2, 1), M.Block);
        store.SpillOldest(long.MaxValue);
        Assert.Single(Directory.GetFiles(folder.Path));

        store.Remove(Client, 1);

        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.False(store.TryGet(Client, 1, out _));
    }

    [Fact]
    public void A_disk_that_fills_while_spilling_keeps_the_result_in_memory_counts_the_failure_and_leaves_no_partial_file()
    {
        var folder = new SpillFolder(_root) { OpenForWrite = static path => new FullDisk(path, room: 4096) };
        using var store = new ResultStore(folder, targetBytes: MiB);
        store.Put(Client, 1, Block(2, 3), M.Block);

        var freed = store.SpillOldest(long.MaxValue);

        Assert.Equal(0, freed);
        Assert.Equal(1, store.Counters.SpillFailures);
        Assert.Contains("Block", store.Counters.LastSpillError, StringComparison.Ordinal);
        Assert.Contains("No space left on device", store.Counters.LastSpillError, StringComparison.Ordinal);
        Assert.Contains("stays in memory", store.Counters.LastSpillError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.True(store.TryGet(Client, 1, out var kept));
        Assert.Equal(Block(2, 3), (int[])kept!);
        Assert.Equal(0, store.SpilledCount);
    }

    [Fact]
    public void A_limit_smaller_than_one_result_spills_it_at_once()
    {
        using var store = new ResultStore(new SpillFolder(_root), targetBytes: MiB);
        var over = false;
        store.OverTarget += () => over = true;

        store.Put(Client, 1, Block(4, 1), M.Block);
        store.SpillOldest(store.HeldBytes - store.TargetBytes);

        Assert.True(over);
        Assert.Equal(0, store.HeldBytes);
        Assert.True(store.TryGet(Client, 1, out var back));
        Assert.Equal(Block(4, 1), (int[])back!);
    }

    [Fact]
    public void The_spill_folder_goes_away_with_the_store()
    {
        var folder = new SpillFolder(_root);
        var store = new ResultStore(folder, targetBytes: MiB);
        store.Put(Client, 1, Block(2, 1), M.Block);
        store.SpillOldest(long.MaxValue);
        var path = folder.Path;

        store.Dispose();

        Assert.False(Directory.Exists(path));
    }

    /// <summary>A file on a disk with <c>room</c> bytes left: past them, the write fails as Linux says it.</summary>
    private sealed class FullDisk(string path, int room) : FileStream(path, FileMode.CreateNew, FileAccess.Write)
    {
        private int _room = room;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.Length > _room)
            {
                base.Write(buffer[.._room]);
                _room = 0;
                throw new IOException("No space left on device");
            }

            _room -= buffer.Length;
            base.Write(buffer);
        }
    }
}
