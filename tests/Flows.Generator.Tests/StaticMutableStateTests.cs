namespace Flows.Generator.Tests;

/// <summary>FLOW203: a task that writes static state without synchronization.</summary>
public sealed class StaticMutableStateTests
{
    [Fact]
    public Task Fires_for_a_static_counter_a_static_property_and_a_static_list_written_in_a_helper() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            private static int s_calls;
            private static readonly List<string> s_seen = new();
            public static string Last { get; set; } = "";

            [Task] public static int {|FLOW203:Count|}(string line) { s_calls++; return s_calls; }
            [Task] public static int {|FLOW203:Remember|}(string line) { Last = line; return 0; }
            [Task] public static int {|FLOW203:Track|}(string line) { Note(line); return s_seen.Count; }
            private static void Note(string line) => s_seen.Add(line);

            [Flow] public static int Run(string line) => Count(line);
        }
        """);

    [Fact]
    public Task Is_quiet_for_locked_interlocked_thread_static_concurrent_and_read_only_state() => ThreadSafetyVerifier.VerifyAsync("""
        using System.Collections.Concurrent;

        public static partial class F
        {
            private static readonly object s_gate = new();
            private static int s_calls;
            private static long s_total;
            [ThreadStatic] private static int t_depth;
            private static readonly ConcurrentDictionary<string, int> s_cache = new();
            private static readonly string[] s_names = { "a", "b" };
            private const int Limit = 3;

            [Task] public static int Locked(string line) { lock (s_gate) { s_calls++; return s_calls; } }
            [Task] public static long Added(string line) => Interlocked.Add(ref s_total, line.Length);
            [Task] public static int Depth(string line) { t_depth++; return t_depth; }
            [Task] public static int Cached(string line) => s_cache.GetOrAdd(line, l => l.Length) + (s_cache.TryAdd(line, 1) ? 1 : 0);
            [Task] public static int Read(string line) => s_names.Length + Limit + Volatile.Read(ref s_calls);
            [Task] public static int Local(string line) { var list = new List<string>(); list.Add(line); return list.Count; }

            // Not a task: static state written outside any task is not this rule's concern.
            public static void Reset() => s_calls = 0;

            [Flow] public static int Run(string line) => Locked(line);
        }
        """);
}
