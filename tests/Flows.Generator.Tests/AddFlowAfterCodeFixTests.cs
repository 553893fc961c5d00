using Flows.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>FLOW025 and its fix: a step that shares a path with an earlier one but reads nothing it made.</summary>
public sealed class AddFlowAfterCodeFixTests
{
    private const string Tasks = """
        public static class Io
        {
            [Task] public static int WriteCount(string path, string text) => text.Length;
            [Task] public static int ReadLength(string path) => path.Length;
            [Task] public static void Write(string path, string text) { }
            [Task] public static int Measure(string text) => text.Length;
            [Task] public static int Hash(string text) => text.GetHashCode();
            [Task] public static bool IsOk(string path) => true;
        }

        """;

    [Fact]
    public Task Writes_Flow_After_before_the_later_step() => VerifyAsync(
        """
        public static partial class F
        {
            [Flow]
            public static int Run(string path)
            {
                var written = Io.WriteCount(path, "abc");
                var length = {|FLOW025:Io.ReadLength(path)|};
                return length;
            }
        }
        """,
        """
        public static partial class F
        {
            [Flow]
            public static int Run(string path)
            {
                var written = Io.WriteCount(path, "abc");
                Flow.After(written);
                var length = Io.ReadLength(path);
                return length;
            }
        }
        """);

    [Fact]
    public Task Is_quiet_for_ordered_steps_side_effects_data_and_exclusive_arms() => VerifyAsync(
        """
        public static partial class F
        {
            [Flow]
            public static int Ordered(string path, string text)
            {
                Io.Write(path, text);                       // a side effect: statement order places it
                var written = Io.WriteCount(path, text);
                Flow.After(written);
                var b = Io.ReadLength(path);                // ordered by Flow.After
                var m = Io.Measure(text);
                var h = Io.Hash(text);                      // text is data, not a resource's name
                return Io.ReadLength(path);                 // the same task on the same path
            }

            [Flow]
            public static int Arms(string path, bool flag)
            {
                int c;
                if (flag) { c = Io.WriteCount(path, "x"); }
                else { c = Io.ReadLength(path); }           // the other arm never runs with it
                return c;
            }
        }
        """,
        null);

    private static Task VerifyAsync(string source, string? fixedSource)
    {
        var test = new Test { ReferenceAssemblies = TestReferences.None };
        test.TestState.Sources.Add(AnalyzerVerifier.Prelude + Tasks + source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        if (fixedSource is null)
        {
            test.FixedState.Sources.Add(AnalyzerVerifier.Prelude + Tasks + source);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
        }
        else
        {
            test.FixedState.Sources.Add(AnalyzerVerifier.Prelude + Tasks + fixedSource);
        }

        return test.RunAsync();
    }

    private sealed class Test : CSharpCodeFixTest<FlowBodyAnalyzer, AddFlowAfterCodeFix, DefaultVerifier>
    {
    }
}
