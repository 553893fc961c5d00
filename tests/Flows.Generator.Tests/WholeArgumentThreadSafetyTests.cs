namespace Flows.Generator.Tests;

/// <summary>
/// A map's whole argument reaches every element run as it is: the thread-safety rules see it as an
/// input of the mapped task, like an argument of a task call, not as the collection's elements.
/// </summary>
public sealed class WholeArgumentThreadSafetyTests
{
    [Fact]
    public Task FLOW201_fires_when_the_mapped_task_writes_a_whole_argument_another_task_reads() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Tag(int x, List<int> seen) { seen.Add(x); return x; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] xs, List<int> seen)
            {
                var tagged = {|FLOW201:Flow.Map(Tag, xs, seen)|};
                return Count(seen);
            }
        }
        """);

    [Fact]
    public Task FLOW201_is_quiet_when_the_mapped_task_only_reads_its_whole_argument() => ThreadSafetyVerifier.VerifyAsync("""
        public static partial class F
        {
            [Task] public static int Tag(int x, List<int> seen) => seen.Contains(x) ? 1 : 0;
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] xs, List<int> seen)
            {
                var tagged = Flow.TryMap(Tag, xs, seen);
                return Count(seen);
            }
        }
        """);
}
