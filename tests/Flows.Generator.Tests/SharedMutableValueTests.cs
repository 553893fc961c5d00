using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>FLOW201: a value written by one of two tasks that can run at the same time.</summary>
public sealed class SharedMutableValueTests
{
    [Fact]
    public Task Fires_when_a_flow_parameter_reaches_a_writer_and_a_reader_that_overlap() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Sum(List<int> items) => items.Sum();
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                var b = Sum(items);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Fires_for_a_task_result_sorted_by_one_task_and_read_by_another() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int[] Load(string path) => new[] { 3, 1, 2 };
            [Task] public static int SortInPlace(int[] values) { Array.Sort(values); return values[0]; }
            [Task] public static int First(int[] values) => values[0];

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(string path)
            {
                var values = Load(path);
                var a = {|FLOW201:SortInPlace(values)|};
                return First(values);
            }
        }
        """);

    [Fact]
    public Task Fires_when_the_write_is_in_a_helper_the_task_calls() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Clean(List<string> lines) { Helpers.Trim(lines); return lines.Count; }
            [Task] public static int Count(List<string> lines) => lines.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<string> lines)
            {
                var a = {|FLOW201:Clean(lines)|};
                return Count(lines);
            }
        }

        public static class Helpers
        {
            public static void Trim(List<string> lines) => Drop(lines, 0);
            private static void Drop(List<string> lines, int at) => lines.RemoveAt(at);
        }
        """);

    [Fact]
    public Task Fires_when_a_task_writes_a_field_of_an_element_through_a_foreach_local() => ThreadSafetyVerifier.VerifyAsync("""
        public sealed class Row { public decimal Total; }

        public static partial class F
        {
            [Task] public static int Reset(Row[] rows) { foreach (var row in rows) { row.Total = 0; } return rows.Length; }
            [Task] public static decimal Sum(Row[] rows) => rows.Sum(r => r.Total);

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static decimal Run(Row[] rows)
            {
                var n = {|FLOW201:Reset(rows)|};
                return Sum(rows);
            }
        }
        """);

    [Fact]
    public Task Fires_when_a_task_passes_an_element_by_ref() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Bump(int[] counts) { Add(ref counts[0]); return counts[0]; }
            [Task] public static int Read(int[] counts) => counts[0];
            static void Add(ref int x) => x++;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] counts)
            {
                var a = {|FLOW201:Bump(counts)|};
                return Read(counts);
            }
        }
        """);

    [Fact]
    public Task Fires_when_a_task_passes_the_value_by_ref_to_a_method_that_writes_it() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Grow(List<int> items) { Fill(ref items); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;
            static void Fill(ref List<int> items) => items.Add(1);

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Grow(items)|};
                return Count(items);
            }
        }
        """);

    [Fact]
    public Task Fires_at_a_flow_without_RunsOn_that_is_run_with_a_ThreadExecutor() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { var list = items; list.Add(1); return list.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                return Count(items);
            }

            public static async Task<int> Main()
            {
                using var executor = new ThreadExecutor(numWorkers: 2);
                var run = await RunFlow.RunAsync(executor, new List<int>());
                return run.Result;
            }
        }
        """);

    [Fact]
    public Task Fires_when_mapped_element_runs_write_the_elements_another_task_reads() => ThreadSafetyVerifier.VerifyAsync("""
        public sealed class Row { public int Total { get; set; } }

        public static partial class F
        {
            [Task] public static int Normalize(Row row) { row.Total = 1; return row.Total; }
            [Task] public static int Sum(Row[] rows) => rows.Sum(r => r.Total);

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(Row[] rows)
            {
                var totals = {|FLOW201:Flow.Map(Normalize, rows)|};
                return Sum(rows);
            }
        }
        """);

    [Fact]
    public Task Fires_when_a_subflow_writes_a_value_a_task_of_the_parent_reads() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow] public static int Child(List<int> items) => Append(items);

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Child(items)|};
                return Count(items);
            }
        }
        """);

    [Fact]
    public Task Fires_at_a_ThreadExecutor_run_even_when_the_flow_declares_processes_only() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Processes)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                return Count(items);
            }

            public static Task<FlowRun<int>> Main(ThreadExecutor threads) => RunFlow.RunAsync(threads, new List<int>());
        }
        """);

    [Fact]
    public Task Fires_inside_a_subflow_of_a_flow_that_runs_on_threads() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;
            [Task] public static List<int> Make(int n) => new List<int> { n };

            [Flow]
            public static int Child(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                return Count(items);
            }

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int n)
            {
                var items = Make(n);
                return Child(items);
            }
        }
        """);

    [Fact]
    public Task Reports_two_writers_once_at_the_first() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Clear(List<int> items) { items.Clear(); return 0; }
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                var b = Clear(items);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_reader_depends_on_the_writer() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Sum(List<int> items, int after) => items.Sum();

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var n = Append(items);
                return Sum(items, n);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_every_task_only_reads() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Sum(List<int> items) => items.Sum();
            [Task] public static int Max(IReadOnlyList<int> items) => items.Max();
            [Task] public static string Join(List<int> items) => string.Join(",", items);
            [Task] public static int Both(int a, int b, string c) => a + b + c.Length;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = Sum(items);
                var b = Max(items);
                var c = Join(items);
                return Both(a, b, c);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_immutable_frozen_and_concurrent_collections() => ThreadSafetyVerifier.VerifyAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Frozen;
        using System.Collections.Immutable;

        public sealed record Settings(string Name, ImmutableArray<int> Limits);

        public static partial class F
        {
            [Task] public static int Grow(ImmutableList<int> items) => items.Add(1).Count;
            [Task] public static int Count(ImmutableList<int> items) => items.Count;
            [Task] public static int Cache(ConcurrentDictionary<string, int> cache) { cache.TryAdd("a", 1); cache["b"] = 2; return cache.Count; }
            [Task] public static int Peek(ConcurrentDictionary<string, int> cache) => cache.Count;
            [Task] public static bool Has(FrozenSet<string> names) => names.Contains("a");
            [Task] public static int Limit(Settings settings) => settings.Limits.Length;
            [Task] public static int Other(Settings settings) => settings.Name.Length;
            [Task] public static int All(int a, int b, int c, int d, bool e, int f, int g) => a + b + c + d + f + g;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(ImmutableList<int> items, ConcurrentDictionary<string, int> cache, FrozenSet<string> names, Settings settings)
            {
                var a = Grow(items);
                var b = Count(items);
                var c = Cache(cache);
                var d = Peek(cache);
                var e = Has(names);
                var f = Limit(settings);
                var g = Other(settings);
                return All(a, b, c, d, e, f, g);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_a_struct_passed_by_value_and_written_by_a_task() => ThreadSafetyVerifier.VerifyAsync("""
        public struct Point { public int X; public int Y; }

        public static partial class F
        {
            [Task] public static int Move(Point p) { p.X++; p.Y = 3; return p.X; }
            [Task] public static int Read(Point p) => p.X;
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(Point p)
            {
                var a = Move(p);
                var b = Read(p);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_writes_under_lock_or_through_Interlocked() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { lock (items) { items.Add(1); } return 1; }
            [Task] public static int Bump(int[] counts) => Interlocked.Increment(ref counts[0]);
            [Task] public static int Read(List<int> items, int[] counts) { lock (items) { return items.Count + Volatile.Read(ref counts[0]); } }
            [Task] public static int All(int a, int b, int c) => a + b + c;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items, int[] counts)
            {
                var a = Append(items);
                var b = Bump(counts);
                var c = Read(items, counts);
                return All(a, b, c);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_mapped_element_runs_write_only_their_own_elements() => ThreadSafetyVerifier.VerifyAsync("""
        public sealed class Row { public int Total { get; set; } }

        public static partial class F
        {
            [Task] public static int Normalize(Row row) { row.Total = 1; return row.Total; }
            [Task] public static int Sum(int[] totals) => totals.Sum();

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(Row[] rows)
            {
                var totals = Flow.Map(Normalize, rows);
                return Sum(totals);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_a_local_copy_made_before_writing() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { var copy = items.ToList(); copy.Add(1); var mine = new List<int>(items); mine.Sort(); return copy.Count; }
            [Task] public static int Count(List<int> items) => items.Count;
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = Append(items);
                var b = Count(items);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_flow_does_not_run_on_threads() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow] public static int Unspecified(List<int> items) { var a = Append(items); return Count(items); }

            [Flow(RunsOn = ExecutorKinds.Processes)] public static int InProcesses(List<int> items) { var a = Append(items); return Count(items); }

            [Flow] public static int Local(List<int> items) { var a = Append(items); return Count(items); }

            [Flow] public static int Unknown(List<int> items) { var a = Append(items); return Count(items); }

            public static async Task Main(FlowExecutor any)
            {
                using var local = new LocalExecutor();
                await LocalFlow.RunAsync(local, new List<int>());
                await UnknownFlow.RunAsync(any, new List<int>());
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_other_task_never_touches_the_value() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Ignore(List<int> items, int n) => n;
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items, int n)
            {
                var a = Append(items);
                var b = Ignore(items, n);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Fires_when_a_task_calls_a_method_of_the_compilation_that_changes_the_object() => ThreadSafetyVerifier.VerifyAsync("""
        public sealed class Basket
        {
            private readonly List<string> _items = new();
            public int Count => _items.Count;
            public void Put(string item) => _items.Add(item);
        }

        public static partial class F
        {
            [Task] public static int Fill(Basket basket) { basket.Put("apple"); return basket.Count; }
            [Task] public static int Count(Basket basket) => basket.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(Basket basket)
            {
                var a = {|FLOW201:Fill(basket)|};
                return Count(basket);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_an_interface_whose_calls_cannot_be_followed() => ThreadSafetyVerifier.VerifyAsync("""
        public interface IScorer { int Score(string text); }

        public static partial class F
        {
            [Task] public static int Score(IScorer scorer, string text) => scorer.Score(text);
            [Task] public static int Again(IScorer scorer, string text) => scorer.Score(text + "!");
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(IScorer scorer, string text)
            {
                var a = Score(scorer, text);
                var b = Again(scorer, text);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_shared_value_goes_to_code_outside_the_compilation() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Print(List<int> items) { Console.WriteLine(items); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = Print(items);
                return Count(items);
            }
        }
        """);

    [Fact]
    public Task Reports_one_writer_once_naming_the_value_every_overlapping_task_the_write_and_the_evidence() => ThreadSafetyVerifier.VerifyAsync(
        """
        public static partial class F
        {
            [Task] public static int[] Load(string path) => new[] { 3, 1, 2 };
            [Task] public static int SortInPlace(int[] values) { Array.Sort(values); return values[0]; }
            [Task] public static int First(int[] values) => values[0];
            [Task] public static int Last(int[] values) => values[^1];
            [Task] public static int All(int a, int b, int c) => a + b + c;

            [Flow]
            public static int Run(string path)
            {
                var values = Load(path);
                var a = First(values);
                var b = {|#0:SortInPlace(values)|};
                var c = Last(values);
                return All(a, b, c);
            }

            public static Task<FlowRun<int>> Main() => RunFlow.RunAsync(new ThreadExecutor(), "p");
        }
        """,
        new DiagnosticResult("FLOW201", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments("values", "SortInPlace", "'First' and 'Last'", "it is run with a ThreadExecutor at Test0.cs(25)", "'Array.Sort(values)' in SortInPlace"));
}
