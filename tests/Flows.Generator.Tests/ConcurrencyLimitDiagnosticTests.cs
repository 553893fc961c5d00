namespace Flows.Generator.Tests;

/// <summary>
/// A <c>[Task]</c>'s concurrency limits that cannot work are errors at the value itself: a
/// <c>MaxConcurrency</c> below 1 (FLOW052), a tag that is null, blank or listed twice (FLOW053); the
/// legal values next to them are quiet.
/// </summary>
public sealed class ConcurrencyLimitDiagnosticTests
{
    [Fact]
    public Task FLOW052_fires_on_a_MaxConcurrency_of_zero_or_less() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(MaxConcurrency = {|FLOW052:0|})] public static int A(int x) => x;

            [Task(MaxConcurrency = {|FLOW052:-4|})] public static int B(int x) => x;

            private const int None = 0;

            [Task(MaxConcurrency = {|FLOW052:None|})] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW052_is_quiet_for_a_limit_of_one_or_more_and_for_no_limit_written() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(MaxConcurrency = 1)] public static int A(int x) => x;

            [Task(MaxConcurrency = 1_000)] public static int B(int x) => x;

            [Task] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW053_fires_on_a_null_blank_or_repeated_tag_at_the_entry() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Tags = new[] { "db", {|FLOW053:""|} })] public static int A(int x) => x;

            [Task(Tags = new[] { {|FLOW053:"  "|} })] public static int B(int x) => x;

            [Task(Tags = new string[] { {|FLOW053:null|}, "http" })] public static int C(int x) => x;

            [Task(Tags = ["db", "http", {|FLOW053:"db"|}])] public static int D(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW053_is_quiet_for_distinct_names_and_tags_that_differ_in_case() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Tags = new[] { "db" })] public static int A(int x) => x;

            [Task(Tags = ["db", "DB", "http"], MaxConcurrency = 2)] public static int B(int x) => x;
        }
        """);
}
