using Microsoft.Data.Sqlite;

namespace Flows.Storage;

/// <summary>
/// The store's tables. A value (a checkpoint or a cached result) is kept inline when small, or in a
/// file of its own under <c>blobs/</c> when large (SQLite writes large blobs at a fraction of the
/// speed of a plain file); either way with its length and an XxHash128 of its bytes, checked on every
/// read, so that a damaged or half-written value is recomputed, never decoded.
/// </summary>
internal static class StoreSchema
{
    /// <summary>The layout this build writes and reads; a store with another is refused with a clear message.</summary>
    public const int Version = 1;

    public const string DatabaseFile = "flows.db";

    public const string BlobFolder = "blobs";

    public static void Create(SqliteConnection connection)
    {
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT PRIMARY KEY,
                flow TEXT NOT NULL,
                graph_hash TEXT,
                state INTEGER NOT NULL,
                arguments BLOB,
                arguments_checksum BLOB,
                started INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                owner_host TEXT,
                owner_pid INTEGER,
                owner_start INTEGER);
            CREATE TABLE IF NOT EXISTS checkpoints (
                run_id TEXT NOT NULL,
                node TEXT NOT NULL,
                element INTEGER NOT NULL,
                task_id TEXT NOT NULL,
                code_hash TEXT,
                length INTEGER NOT NULL,
                checksum BLOB NOT NULL,
                inline BLOB,
                blob TEXT,
                PRIMARY KEY (run_id, node, element)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS cache (
                key BLOB PRIMARY KEY,
                cache_key TEXT NOT NULL,
                created INTEGER NOT NULL,
                expires INTEGER NOT NULL,
                last_used INTEGER NOT NULL,
                length INTEGER NOT NULL,
                checksum BLOB NOT NULL,
                inline BLOB,
                blob TEXT);
            CREATE INDEX IF NOT EXISTS cache_by_use ON cache (last_used);
            INSERT OR IGNORE INTO store_info (key, value) VALUES ('version', '1');
            """);
    }

    /// <summary>Settings of every connection: a writer and readers in several processes share the file.</summary>
    public static void Configure(SqliteConnection connection)
    {
        // NORMAL in WAL mode: a commit survives the process being killed; after a power loss the
        // last commits may be lost, never the database's consistency (checksums guard the values).
        Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = OFF;");
    }

    public static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM store_info WHERE key = 'version'";
        var value = command.ExecuteScalar() as string;
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
