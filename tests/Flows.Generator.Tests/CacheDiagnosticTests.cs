namespace Flows.Generator.Tests;

/// <summary>
/// A task's cache policy that cannot work is an error at the value (FLOW036 to FLOW039), and the legal
/// forms next to it are quiet.
/// </summary>
public sealed class CacheDiagnosticTests
{
    [Fact]
    public Task FLOW036_fires_on_a_CacheFor_that_is_not_a_c_format_duration_or_not_positive() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = {|FLOW036:"10"|})] public static int A(int x) => x;

            [Task(CacheFor = {|FLOW036:"00:10"|})] public static int B(int x) => x;

            [Task(CacheFor = {|FLOW036:"ten minutes"|})] public static int C(int x) => x;

            [Task(CacheFor = {|FLOW036:"00:60:00"|})] public static int D(int x) => x;

            [Task(CacheFor = {|FLOW036:"00:00:00"|})] public static int E(int x) => x;

            [Task(CacheFor = {|FLOW036:"-00:10:00"|})] public static int F(int x) => x;

            [Task(CacheFor = {|FLOW036:" 00:10:00"|})] public static int G(int x) => x;

            [Task(CacheFor = {|FLOW036:""|})] public static int H(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW036_is_quiet_for_positive_durations_in_the_c_format_and_a_CacheFor_left_out_or_null() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = "00:10:00")] public static int A(int x) => x;

            [Task(CacheFor = "1.00:00:00")] public static int B(int x) => x;

            [Task(CacheFor = "00:00:00.5")] public static int C(int x) => x;

            [Task(CacheFor = "00:00:00.0000001")] public static int D(int x) => x;

            [Task(CacheFor = null)] public static int E(int x) => x;

            [Task] public static int F(int x) => x;

            private const string TenMinutes = "00:10:00";

            [Task(CacheFor = TenMinutes)] public static int G(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW037_fires_on_a_CacheKey_without_CacheFor_or_empty() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheKey = {|FLOW037:"prices"|})] public static int A(int x) => x;

            [Task(CacheFor = "00:10:00", CacheKey = {|FLOW037:""|})] public static int B(int x) => x;

            [Task(CacheFor = "00:10:00", CacheKey = {|FLOW037:"  "|})] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW037_is_quiet_for_a_named_CacheKey_with_CacheFor_or_a_CacheKey_left_out() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = "00:10:00", CacheKey = "prices")] public static int A(int x) => x;

            [Task(CacheKey = "prices", CacheFor = "00:10:00")] public static int B(int x) => x;

            [Task(CacheFor = "00:10:00", CacheKey = null)] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW038_fires_on_CacheFor_on_a_task_whose_input_or_result_has_no_serializer() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = {|FLOW038:"00:10:00"|})] public static int A(Func<int> compute) => compute();

            [Task(CacheFor = {|FLOW038:"00:10:00"|})] public static Func<int> B(int x) => () => x;

            [Task(CacheFor = {|FLOW038:"00:10:00"|})] public static Task<Stream> C(string path) => Task.FromResult<Stream>(File.OpenRead(path));
        }
        """);

    [Fact]
    public Task FLOW038_is_quiet_for_a_cached_task_of_serializable_inputs_and_result() => AttributeValueVerifier.VerifyAsync("""
        public sealed record Line(string Sku, int Quantity);

        public static class T
        {
            [Task(CacheFor = "00:10:00")] public static Line[] A(Line line, int[] counts, CancellationToken ct) => new[] { line };

            [Task(CacheFor = "00:10:00")] public static ValueTask<string> B(string text) => new(text);

            [Task] public static int C(Func<int> compute) => compute();
        }
        """);

    [Fact]
    public Task FLOW039_fires_on_CacheFor_on_a_task_that_returns_nothing() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = {|FLOW039:"00:10:00"|})] public static void A(int x) { }

            [Task(CacheFor = {|FLOW039:"00:10:00"|})] public static Task B(int x) => Task.CompletedTask;

            [Task(CacheFor = {|FLOW039:"00:10:00"|})] public static ValueTask C(int x) => default;
        }
        """);

    [Fact]
    public Task The_messages_name_the_task_the_value_and_the_fix() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(CacheFor = {|#0:"10"|})] public static int A(int x) => x;

            [Task(CacheKey = {|#1:"prices"|})] public static int B(int x) => x;

            [Task(CacheFor = {|#2:"00:10:00"|})] public static int C(Func<int> compute) => compute();

            [Task(CacheFor = {|#3:"00:10:00"|})] public static void D(int x) { }
        }
        """,
        Expect("FLOW036", 0, "Task 'A': CacheFor = \"10\" is not a TimeSpan in the invariant \"c\" format: write how long a result may be reused as [d.]hh:mm:ss[.fffffff], such as \"00:10:00\" for ten minutes or \"1.00:00:00\" for a day, or leave CacheFor out for a task that is not cached"),
        Expect("FLOW037", 1, "Task 'B': CacheKey = \"prices\" is set without CacheFor, so nothing is ever cached under it: add CacheFor = \"00:10:00\" (how long a result may be reused) or remove CacheKey"),
        Expect("FLOW038", 2, "Task 'C': CacheFor = \"00:10:00\" cannot work, because its parameter 'compute' is 'Func<int>', and Func<int> is a delegate, which is code, not data; pass the data it works on and call the code inside the task: a cache entry is found by the bytes of the task's inputs and keeps the bytes of its result, so caching needs a generated serializer for every input and the result; make that type serializable or remove CacheFor"),
        Expect("FLOW039", 3, "Task 'D': CacheFor = \"00:10:00\" is on a task that returns void: a cache hit skips the call, so what the task does would silently not happen; cache a task that returns the value worth reusing, or remove CacheFor"));

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Expect(string id, int location, string message) =>
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(id, Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(location).WithMessage(message);
}
