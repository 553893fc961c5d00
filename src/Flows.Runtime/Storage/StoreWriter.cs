using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Flows.Storage;

/// <summary>
/// The store's one writer: a thread of its own that commits whatever was asked since its last commit
/// in one transaction, so that a checkpoint costs the scheduler a queue operation and the database
/// one row in a batch. A failed batch (a full disk, a damaged file) is reported to the runs it
/// belonged to; their results stay correct in memory, only their checkpoints are missing.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private readonly ConcurrentQueue<StoreWrite> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SqliteConnection _connection;
    private readonly FlowStore _store;
    private readonly Thread _thread;
    private readonly long _maxCacheBytes;
    private long _cacheBytes;
    private volatile bool _stopping;
    private int _signalled;

    public StoreWriter(FlowStore store, SqliteConnection connection, long maxCacheBytes, long cacheBytes)
    {
        _store = store;
        _connection = connection;
        _maxCacheBytes = maxCacheBytes;
        _cacheBytes = cacheBytes;
        _thread = new Thread(Loop) { IsBackground = true, Name = "Flows store writer" };
        _thread.Start();
    }

    public void Enqueue(StoreWrite write)
    {
        _queue.Enqueue(write);

        // One pending signal is enough: the loop drains the whole queue each time it wakes.
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Completes once everything enqueued before the call is committed or has failed.</summary>
    public Task FlushAsync()
    {
        var flush = new FlushWrite();
        Enqueue(flush);
        return flush.Done.Task;
    }

    private void Loop()
    {
        var batch = new List<StoreWrite>();
        while (true)
        {
            _signal.Wait();
            Volatile.Write(ref _signalled, 0);
            while (_queue.TryDequeue(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count > 0)
            {
                Commit(batch);
                batch.Clear();
            }

            if (_stopping && _queue.IsEmpty)
            {
                return;
            }
        }
    }

    private void Commit(List<StoreWrite> batch)
    {
        Exception? failure = null;
        var cacheAdded = false;
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var write in batch)
            {
                cacheAdded |= Apply(write, transaction);
            }

            transaction.Commit();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            failure = ex;
        }

        foreach (var write in batch)
        {
            if (failure is not null && write is not FlushWrite)
            {
                if (write.Blob is { } blob)
                {
                    _store.Blobs.Delete(blob);
                }

                write.Run?.WriteFailed(_store.Describe(failure));
            }

            if (write is FlushWrite flush)
            {
                flush.Done.TrySetResult();
            }
        }

        if (failure is null && cacheAdded && _maxCacheBytes > 0 && _cacheBytes > _maxCacheBytes)
        {
            EvictCache();
        }
    }

    private bool Apply(StoreWrite write, SqliteTransaction transaction)
    {
        switch (write)
        {
            case CheckpointWrite checkpoint:
                var insert = Prepared(ref _insertCheckpoint, transaction, """
                    INSERT OR REPLACE INTO checkpoints (run_id, node, element, task_id, code_hash, length, checksum, inline, blob)
                    VALUES ($run, $node, $element, $task, $hash, $length, $checksum, $inline, $blob)
                    """);
                Set(insert, "$run", checkpoint.RunId);
                Set(insert, "$node", checkpoint.Node);
                Set(insert, "$element", checkpoint.Element);
                Set(insert, "$task", checkpoint.TaskId);
                Set(insert, "$hash", checkpoint.CodeHash);
                SetValue(insert, checkpoint.Value);
                insert.ExecuteNonQuery();
                return false;
            case CacheWrite cache:
                var put = Prepared(ref _insertCache, transaction, """
                    INSERT OR REPLACE INTO cache (key, cache_key, created, expires, last_used, length, checksum, inline, blob)
                    VALUES ($key, $name, $created, $expires, $created, $length, $checksum, $inline, $blob)
                    """);
                Set(put, "$key", cache.Key);
                Set(put, "$name", cache.CacheKey);
                Set(put, "$created", cache.Created);
                Set(put, "$expires", cache.Expires);
                SetValue(put, cache.Value);
                put.ExecuteNonQuery();
                _cacheBytes += cache.Value.Length;
                return true;
            case CacheUseWrite use:
                var touch = Prepared(ref _touchCache, transaction, "UPDATE cache SET last_used = $used WHERE key = $key");
                Set(touch, "$used", use.Used);
                Set(touch, "$key", use.Key);
                touch.ExecuteNonQuery();
                return false;
            case RunEndWrite end:
                var ended = Prepared(ref _endRun, transaction, "UPDATE runs SET state = $state, updated = $updated, owner_host = NULL, owner_pid = NULL, owner_start = NULL WHERE run_id = $run");
                Set(ended, "$state", (int)end.State);
                Set(ended, "$updated", end.Updated);
                Set(ended, "$run", end.RunId);
                ended.ExecuteNonQuery();
                return false;
            default:
                return false;
        }
    }

    // One prepared command per kind of write, kept for the writer's life (only its thread uses them).
    private SqliteCommand? _insertCheckpoint;
    private SqliteCommand? _insertCache;
    private SqliteCommand? _touchCache;
    private SqliteCommand? _endRun;

    private SqliteCommand Prepared(ref SqliteCommand? command, SqliteTransaction transaction, string sql)
    {
        if (command is null)
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = transaction;
        return command;
    }

    private static void Set(SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
    }

    private static void SetValue(SqliteCommand command, StoredValue value)
    {
        Set(command, "$length", value.Length);
        Set(command, "$checksum", value.Checksum);
        Set(command, "$inline", value.Inline);
        Set(command, "$blob", value.Blob);
    }

    /// <summary>Removes least recently used cache entries until the cache fits its bound again.</summary>
    private void EvictCache()
    {
        try
        {
            var doomed = new List<(byte[] Key, long Length, string? Blob)>();
            using (var select = _connection.CreateCommand())
            {
                select.CommandText = "SELECT key, length, blob FROM cache ORDER BY last_used";
                using var reader = select.ExecuteReader();
                var excess = _cacheBytes - _maxCacheBytes;
                while (excess > 0 && reader.Read())
                {
                    var length = reader.GetInt64(1);
                    doomed.Add(((byte[])reader.GetValue(0), length, reader.IsDBNull(2) ? null : reader.GetString(2)));
                    excess -= length;
                }
            }

            using var transaction = _connection.BeginTransaction();
            foreach (var (key, length, _) in doomed)
            {
                using var delete = _connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM cache WHERE key = $key";
                delete.Parameters.AddWithValue("$key", key);
                delete.ExecuteNonQuery();
                _cacheBytes -= length;
            }

            transaction.Commit();
            foreach (var (_, _, blob) in doomed)
            {
                if (blob is not null)
                {
                    _store.Blobs.Delete(blob);
                }
            }
        }
        catch (SqliteException)
        {
            // The bound is kept at the next batch; nothing is lost by keeping entries a while longer.
        }
    }

    /// <summary>Commits what is queued and stops the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _signal.Release();
        _thread.Join();
        _signal.Dispose();
        _insertCheckpoint?.Dispose();
        _insertCache?.Dispose();
        _touchCache?.Dispose();
        _endRun?.Dispose();
    }
}
