using Flows.Storage;
using Microsoft.Data.Sqlite;

namespace Flows;

/// <summary>
/// An embedded store of runs: each run's arguments, the result of every task that succeeded (its
/// checkpoint) and cached results, in a folder (a SQLite database, <c>flows.db</c>, and a
/// <c>blobs/</c> folder for large values). Nothing to install or start; several processes on one
/// machine may share a store.
/// </summary>
/// <remarks>
/// Give it to a run with <see cref="FlowRunOptions.Store"/>. Every value is written with the
/// generated serializer of its type and checked against a checksum when read: a damaged or half
/// written value is recomputed, never decoded. One instance may serve any number of runs at once;
/// dispose it when the process is done with it (it commits what is queued).
/// </remarks>
public sealed class FlowStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _readers = new();
    private int _disposed;

    private FlowStore(string path, FlowStoreOptions options)
    {
        Path = path;
        Options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(path, StoreSchema.DatabaseFile),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        Blobs = new BlobFiles(System.IO.Path.Combine(path, StoreSchema.BlobFolder));
        _writeConnection = new SqliteConnection(_connectionString);
        try
        {
            _writeConnection.Open();
            StoreSchema.Configure(_writeConnection);
            StoreSchema.Create(_writeConnection);
            var version = StoreSchema.ReadVersion(_writeConnection);
            if (version != StoreSchema.Version)
            {
                throw new FlowStoreException(
                    path,
                    $"The store '{path}' has layout version {version}, and this version of Flows reads version {StoreSchema.Version}. " +
                    "Open it with the Flows version that wrote it, or give this one a new folder.");
            }

            Writer = new StoreWriter(this, _writeConnection, options.MaxCacheBytes, CacheBytes(_writeConnection));
        }
        catch (SqliteException ex)
        {
            _writeConnection.Dispose();
            throw Describe(ex);
        }
        catch
        {
            _writeConnection.Dispose();
            throw;
        }
    }

    /// <summary>The store's folder (a full path).</summary>
    public string Path { get; }

    internal FlowStoreOptions Options { get; }

    internal BlobFiles Blobs { get; }

    internal StoreWriter Writer { get; }

    /// <summary>Opens the store in folder <paramref name="path"/>, creating the folder and the store when missing.</summary>
    /// <exception cref="FlowStoreException">The folder cannot be written, or what it holds is not a store this version reads (damaged, or of another layout).</exception>
    public static FlowStore Open(string path, FlowStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new FlowStoreException(full, $"FlowStore.Open takes a folder, and '{full}' is a file. Give it a folder (created when missing), e.g. '{full}.store'.");
        }

        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlowStoreException(full, $"The store's folder '{full}' cannot be created: {ex.Message}", ex);
        }

        return new FlowStore(full, options ?? new FlowStoreOptions());
    }

    /// <summary>Every run the store has, the most recently updated first.</summary>
    public IReadOnlyList<StoredRun> ListRuns() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = RunQuery + " ORDER BY r.updated DESC";
        return ReadRuns(command);
    });

    /// <summary>The run named <paramref name="runId"/>, or null when the store has none.</summary>
    public StoredRun? FindRun(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = RunQuery + " WHERE r.run_id = $run";
            command.Parameters.AddWithValue("$run", runId);
            return ReadRuns(command).FirstOrDefault();
        });
    }

    /// <summary>Deletes a run and its checkpoints; false when the store has no such run.</summary>
    /// <exception cref="FlowStoreException">The run is running in a live process.</exception>
    public bool DeleteRun(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var blobs = new List<string>();
        var deleted = Read(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var owner = connection.CreateCommand())
            {
                owner.Transaction = transaction;
                owner.CommandText = "SELECT state, owner_host, owner_pid, owner_start FROM runs WHERE run_id = $run";
                owner.Parameters.AddWithValue("$run", runId);
                using var reader = owner.ExecuteReader();
                if (!reader.Read())
                {
                    return false;
                }

                if (OwnerOf(reader, 1) is { } running && running.IsAlive() && running != RunOwner.Current)
                {
                    throw new FlowStoreException(Path, $"Run '{runId}' in store '{Path}' is running in {running}; delete it once that run has ended.");
                }
            }

            blobs.AddRange(Strings(connection, transaction, "SELECT blob FROM checkpoints WHERE run_id = $p AND blob IS NOT NULL", runId));

            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM checkpoints WHERE run_id = $run; DELETE FROM runs WHERE run_id = $run;";
            delete.Parameters.AddWithValue("$run", runId);
            delete.ExecuteNonQuery();
            transaction.Commit();
            return true;
        });

        foreach (var blob in blobs)
        {
            Blobs.Delete(blob);
        }

        return deleted;
    }

    /// <summary>
    /// Removes cached results past their <c>CacheFor</c>, and value files no entry names (left by a
    /// process that died between writing a file and committing its entry, at least ten minutes ago).
    /// </summary>
    public FlowStoreCleanup Clean()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var expiredBlobs = new List<string>();
        var expired = Read(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            expiredBlobs.AddRange(Strings(connection, transaction, "SELECT blob FROM cache WHERE expires <= $p AND blob IS NOT NULL", now));

            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM cache WHERE expires <= $now";
            delete.Parameters.AddWithValue("$now", now);
            var count = delete.ExecuteNonQuery();
            transaction.Commit();
            return count;
        });

        foreach (var blob in expiredBlobs)
        {
            Blobs.Delete(blob);
        }

        var named = Read(connection => new HashSet<string>(
            Strings(connection, null, "SELECT blob FROM checkpoints WHERE blob IS NOT NULL UNION ALL SELECT blob FROM cache WHERE blob IS NOT NULL", null),
            StringComparer.Ordinal));

        var orphans = 0;
        var old = DateTime.UtcNow - TimeSpan.FromMinutes(10);
        foreach (var file in Directory.EnumerateFiles(Blobs.Folder, "*.bin"))
        {
            var name = System.IO.Path.GetFileName(file);
            if (!named.Contains(name) && File.GetLastWriteTimeUtc(file) < old)
            {
                Blobs.Delete(name);
                orphans++;
            }
        }

        return new FlowStoreCleanup(expired, orphans);
    }

    /// <summary>Commits what is queued and closes the store.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Writer.Dispose();
        _writeConnection.Dispose();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Makes the database full at <paramref name="pages"/> pages for the writer: what a test of a full
    /// disk calls right after opening, before any write (the writer thread is idle then).
    /// </summary>
    internal void LimitWriterPagesForTests(long pages) =>
        StoreSchema.Execute(_writeConnection, $"PRAGMA max_page_count = {pages.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Records a new run, owned by this process.</summary>
    internal void CreateRun(string runId, string flow, string? graphHash, byte[]? arguments)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var owner = RunOwner.Current;
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO runs (run_id, flow, graph_hash, state, arguments, arguments_checksum, started, updated, owner_host, owner_pid, owner_start)
                VALUES ($run, $flow, $hash, $state, $arguments, $checksum, $now, $now, $host, $pid, $start)
                """;
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$flow", flow);
            command.Parameters.AddWithValue("$hash", (object?)graphHash ?? DBNull.Value);
            command.Parameters.AddWithValue("$state", (int)FlowState.Running);
            command.Parameters.AddWithValue("$arguments", (object?)arguments ?? DBNull.Value);
            command.Parameters.AddWithValue("$checksum", arguments is null ? DBNull.Value : StoredValue.ChecksumOf(System.Text.Encoding.UTF8.GetBytes(runId), arguments));
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$host", owner.Host);
            command.Parameters.AddWithValue("$pid", owner.ProcessId);
            command.Parameters.AddWithValue("$start", owner.StartTicks);
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new FlowStoreException(
                    Path,
                    $"Flow '{flow}': the store '{Path}' already has a run '{runId}'. Resume it with ResumeAsync, delete it with FlowStore.DeleteRun, or give the new run another FlowRunOptions.RunId.",
                    ex);
            }

            return 0;
        });
    }

    /// <summary>
    /// Takes over a stored run for a resume: checks that it is a run of this flow and graph and that no
    /// live process runs it, makes this process its owner, and reads its arguments and checkpoints.
    /// </summary>
    internal ClaimedRun ClaimRun(string runId, string flow, string? graphHash)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Read(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            byte[]? arguments;
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT flow, graph_hash, state, arguments, owner_host, owner_pid, owner_start, arguments_checksum FROM runs WHERE run_id = $run";
                select.Parameters.AddWithValue("$run", runId);
                using var reader = select.ExecuteReader();
                if (!reader.Read())
                {
                    throw new FlowStoreException(Path, $"Flow '{flow}': the store '{Path}' has no run '{runId}'. FlowStore.ListRuns() gives the runs it has; start a new run with RunAsync.");
                }

                var storedFlow = reader.GetString(0);
                if (!string.Equals(storedFlow, flow, StringComparison.Ordinal))
                {
                    throw new FlowStoreException(Path, $"Run '{runId}' in store '{Path}' is a run of flow '{storedFlow}', not of '{flow}'. Resume it with {storedFlow}'s ResumeAsync.");
                }

                var storedHash = reader.IsDBNull(1) ? null : reader.GetString(1);
                if (!string.Equals(storedHash, graphHash, StringComparison.Ordinal))
                {
                    throw new FlowStoreException(
                        Path,
                        $"Flow '{flow}' changed since run '{runId}' started (graph {storedHash ?? "built by hand"}, now {graphHash ?? "built by hand"}): its checkpoints may not fit the new graph, so it is not resumed. " +
                        "Start a new run with RunAsync (and delete the old one with FlowStore.DeleteRun), or resume it with the build that started it.");
                }

                if (OwnerOf(reader, 4) is { } owner && owner.IsAlive())
                {
                    throw new FlowStoreException(
                        Path,
                        owner == RunOwner.Current
                            ? $"Run '{runId}' of flow '{flow}' is already running in this process; wait for it to end before resuming it."
                            : $"Run '{runId}' of flow '{flow}' is running in {owner}; it can be resumed once that process has ended.");
                }

                arguments = reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3);
                if (arguments is not null && (reader.IsDBNull(7)
                    || !StoredValue.ChecksumOf(System.Text.Encoding.UTF8.GetBytes(runId), arguments).AsSpan().SequenceEqual((byte[])reader.GetValue(7))))
                {
                    throw new FlowStoreException(
                        Path,
                        $"Flow '{flow}': the arguments of run '{runId}' in store '{Path}' do not match their checksum (the store was damaged), so the run cannot be resumed. Start a new run with RunAsync.");
                }
            }

            using (var claim = connection.CreateCommand())
            {
                var me = RunOwner.Current;
                claim.Transaction = transaction;
                claim.CommandText = "UPDATE runs SET state = $state, updated = $now, owner_host = $host, owner_pid = $pid, owner_start = $start WHERE run_id = $run";
                claim.Parameters.AddWithValue("$state", (int)FlowState.Running);
                claim.Parameters.AddWithValue("$now", now);
                claim.Parameters.AddWithValue("$host", me.Host);
                claim.Parameters.AddWithValue("$pid", me.ProcessId);
                claim.Parameters.AddWithValue("$start", me.StartTicks);
                claim.Parameters.AddWithValue("$run", runId);
                claim.ExecuteNonQuery();
            }

            var checkpoints = new Dictionary<(string Node, int Element), StoredCheckpoint>();
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT node, element, task_id, code_hash, length, checksum, inline, blob FROM checkpoints WHERE run_id = $run";
                select.Parameters.AddWithValue("$run", runId);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    checkpoints[(reader.GetString(0), reader.GetInt32(1))] = new StoredCheckpoint(
                        reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        ValueAt(reader, 4));
                }
            }

            transaction.Commit();
            return new ClaimedRun(arguments, checkpoints);
        });
    }

    /// <summary>The cache entry under <paramref name="key"/> that has not expired at <paramref name="now"/>, if any.</summary>
    internal StoredValue? FindCached(byte[] key, long now) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length, checksum, inline, blob FROM cache WHERE key = $key AND expires > $now";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", now);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ValueAt(reader, 0) : null;
    });

    /// <summary>Removes a cache entry whose bytes proved unusable.</summary>
    internal void ForgetCached(byte[] key) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cache WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteNonQuery();
    });

    /// <summary>A store error as users read it: which store, what happened, what to do.</summary>
    internal FlowStoreException Describe(Exception error)
    {
        if (error is FlowStoreException known)
        {
            return known;
        }

        var what = error switch
        {
            SqliteException { SqliteErrorCode: 13 } => "the disk holding it is full. Free space (or move the store to a larger disk); results not written are recomputed by a resume",
            IOException io when IsDiskFull(io) => "the disk holding it is full. Free space (or move the store to a larger disk); results not written are recomputed by a resume",
            SqliteException { SqliteErrorCode: 11 or 26 } => "its database file is damaged or is not a Flows store. Move the folder aside and give the runs a new store; runs kept in it cannot be resumed",
            SqliteException { SqliteErrorCode: 5 or 6 } => "another process holds it locked for longer than the 10 s this one waits. Find the process that keeps a transaction open on it",
            SqliteException { SqliteErrorCode: 8 or 14 or 23 } => "it cannot be opened for writing. Check the folder's permissions and that the disk is not read-only",
            _ => "an error occurred",
        };
        return new FlowStoreException(Path, $"The store '{Path}' cannot be used: {what} ({error.Message.TrimEnd('.')}).", error);
    }

    private static bool IsDiskFull(IOException error) =>
        error.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) || error.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    private T Read<T>(Func<SqliteConnection, T> read)
    {
        ThrowIfDisposed();
        SqliteConnection? connection = null;
        try
        {
            // Connections are opened and configured once, then reused: a cache lookup per task must
            // not pay for an open and its pragmas each time.
            if (!_readers.TryTake(out connection))
            {
                connection = new SqliteConnection(_connectionString);
                connection.Open();
                StoreSchema.Configure(connection);
            }

            var result = read(connection);
            _readers.Add(connection);
            connection = null;
            return result;
        }
        catch (SqliteException ex)
        {
            throw Describe(ex);
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // A damaged page can turn a column into a value of another type.
            throw new FlowStoreException(Path, $"The store '{Path}' cannot be used: its database file is damaged (a value has the wrong type: {ex.Message.TrimEnd('.')}). Move the folder aside and give the runs a new store.", ex);
        }
        finally
        {
            // A connection whose read failed is not reused (it may be inside a transaction).
            connection?.Dispose();
        }
    }

    private const string RunQuery = """
        SELECT r.run_id, r.flow, r.state, r.started, r.updated, r.owner_host, r.owner_pid, r.owner_start,
               (SELECT COUNT(*) FROM checkpoints c WHERE c.run_id = r.run_id)
        FROM runs r
        """;

    private static List<StoredRun> ReadRuns(SqliteCommand command)
    {
        var runs = new List<StoredRun>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var state = (FlowState)reader.GetInt32(2);
            var interrupted = state == FlowState.Running && (OwnerOf(reader, 5) is not { } owner || !owner.IsAlive());
            runs.Add(new StoredRun(
                reader.GetString(0),
                reader.GetString(1),
                state,
                interrupted,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.GetInt32(8)));
        }

        return runs;
    }

    /// <summary>The first column of every row <paramref name="sql"/> selects (its one parameter, if any, is <c>$p</c>).</summary>
    private static List<string> Strings(SqliteConnection connection, SqliteTransaction? transaction, string sql, object? parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$p", parameter);
        }

        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static RunOwner? OwnerOf(SqliteDataReader reader, int first) =>
        reader.IsDBNull(first) ? null : new RunOwner(reader.GetString(first), reader.GetInt32(first + 1), reader.GetInt64(first + 2));

    private static StoredValue ValueAt(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first),
        (byte[])reader.GetValue(first + 1),
        reader.IsDBNull(first + 2) ? null : (byte[])reader.GetValue(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3));

    private static long CacheBytes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(length), 0) FROM cache";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
