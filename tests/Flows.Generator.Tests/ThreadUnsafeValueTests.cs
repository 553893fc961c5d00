namespace Flows.Generator.Tests;

/// <summary>FLOW202: an object unsafe even to read from two threads, used by tasks that can overlap.</summary>
public sealed class ThreadUnsafeValueTests
{
    [Fact]
    public Task Fires_when_two_overlapping_tasks_draw_from_one_Random() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Roll(Random random) => random.Next(6);
            [Task] public static double Sample(Random random) => random.NextDouble();
            [Task] public static double Both(int a, double b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static double Run(Random random)
            {
                var a = Roll(random);
                var b = {|FLOW202:Sample(random)|};
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Fires_for_a_StringBuilder_made_by_a_task_and_an_enumerator_parameter() => ThreadSafetyVerifier.VerifyAsync("""
        using System.Text;

        public static partial class F
        {
            [Task] public static StringBuilder Make(string seed) => new StringBuilder(seed);
            [Task] public static int Length(StringBuilder text) => text.Length;
            [Task] public static string Show(StringBuilder text) => text.ToString();
            [Task] public static bool Next(IEnumerator<int> cursor) => cursor.MoveNext();
            [Task] public static int Current(IEnumerator<int> cursor) => cursor.Current;
            [Task] public static int All(int a, string b, bool c, int d) => a + b.Length + d;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(string seed, IEnumerator<int> cursor)
            {
                var text = Make(seed);
                var a = Length(text);
                var b = {|FLOW202:Show(text)|};
                var c = Next(cursor);
                var d = {|FLOW202:Current(cursor)|};
                return All(a, b, c, d);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_tasks_using_the_object_are_ordered() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Roll(Random random) => random.Next(6);
            [Task] public static double Sample(Random random, int after) => random.NextDouble() + after;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static double Run(Random random)
            {
                var a = Roll(random);
                return Sample(random, a);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_only_one_task_uses_the_object() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Roll(Random random) => random.Next(6);
            [Task] public static int Ignore(Random random, int seed) => seed;
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(Random random, int seed)
            {
                var a = Roll(random);
                var b = Ignore(random, seed);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_thread_safe_framework_objects_shared_by_overlapping_tasks() => ThreadSafetyVerifier.VerifyAsync("""
        using System.Net.Http;

        public static partial class F
        {
            [Task] public static async Task<int> Get(HttpClient client, string url, CancellationToken ct) => (await client.GetStringAsync(url, ct)).Length;
            [Task] public static int Timeout(HttpClient client) => (int)client.Timeout.TotalSeconds;
            [Task] public static int Both(int a, int b) => a + b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static async Task<int> Run(HttpClient client, string url, CancellationToken ct)
            {
                var a = await Get(client, url, ct);
                var b = Timeout(client);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_a_struct_enumerator_copied_into_each_task() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static bool Next(List<int>.Enumerator cursor) => cursor.MoveNext();
            [Task] public static int Current(List<int>.Enumerator cursor) => cursor.MoveNext() ? cursor.Current : 0;
            [Task] public static int Both(bool a, int b) => b;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int>.Enumerator cursor)
            {
                var a = Next(cursor);
                var b = Current(cursor);
                return Both(a, b);
            }
        }
        """);

    [Fact]
    public Task Is_quiet_when_the_flow_runs_only_in_processes() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Roll(Random random) => random.Next(6);
            [Task] public static double Sample(Random random) => random.NextDouble();
            [Task] public static double Both(int a, double b) => a + b;

            [Flow(RunsOn = ExecutorKinds.OutOfProcess)]
            public static double Run(Random random)
            {
                var a = Roll(random);
                var b = Sample(random);
                return Both(a, b);
            }
        }
        """);
}
