using Flows.CodeFixes;
using Flows.Generator.Analyzers.ThreadSafety;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>The FLOW201 fix: the writing task copies the shared collection before it writes it.</summary>
public sealed class CopySharedParameterCodeFixTests
{
    [Fact]
    public Task Copies_a_shared_list_at_the_start_of_the_writing_task() => VerifyAsync(
        """
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = {|FLOW201:Append(items)|};
                return Count(items);
            }
        }
        """,
        """
        public static partial class F
        {
            [Task] public static int Append(List<int> items) { items = new List<int>(items); items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(List<int> items)
            {
                var a = Append(items);
                return Count(items);
            }
        }
        """);

    [Fact]
    public Task Offers_no_copy_when_the_write_is_in_a_helper() => VerifyAsync(
        """
        public static partial class F
        {
            [Task] public static int Smallest(int[] values) => Sorted(values)[0];
            [Task] public static int First(int[] values) => values[0];
            static int[] Sorted(int[] values) { Array.Sort(values); return values; }

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] values)
            {
                var a = {|FLOW201:Smallest(values)|};
                return First(values);
            }
        }
        """,
        null);

    [Fact]
    public Task Copies_an_array_the_task_writes_by_element() => VerifyAsync(
        """
        public static partial class F
        {
            [Task] public static int Zero(int[] values) => values[0] = 0;
            [Task] public static int First(int[] values) => values[0];

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] values)
            {
                var a = {|FLOW201:Zero(values)|};
                return First(values);
            }
        }
        """,
        """
        public static partial class F
        {
            [Task]
            public static int Zero(int[] values)
            {
                values = (int[])values.Clone();
                return values[0] = 0;
            }

            [Task] public static int First(int[] values) => values[0];

            [Flow(RunsOn = ExecutorKinds.Threads)]
            public static int Run(int[] values)
            {
                var a = Zero(values);
                return First(values);
            }
        }
        """);

    private static Task VerifyAsync(string source, string? fixedSource)
    {
        var test = new Test { ReferenceAssemblies = TestReferences.None };
        test.TestState.Sources.Add(ThreadSafetyVerifier.Usings + source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;

        // FLOW201 is reported at the end of the compilation, which the harness calls non-local;
        // the IDE offers the fix where it shows the diagnostic (full solution analysis, builds).
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        if (fixedSource is null)
        {
            test.FixedState.Sources.Add(ThreadSafetyVerifier.Usings + source);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }
        else
        {
            test.FixedState.Sources.Add(ThreadSafetyVerifier.Usings + fixedSource);
        }

        return test.RunAsync();
    }

    private sealed class Test : CSharpCodeFixTest<ThreadSafetyAnalyzer, CopySharedParameterCodeFix, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(FlowGenerator) };
    }
}
