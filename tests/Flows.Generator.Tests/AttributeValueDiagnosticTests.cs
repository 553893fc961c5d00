namespace Flows.Generator.Tests;

/// <summary>
/// Every [Task]/[Flow] attribute value that cannot work is an error at the value itself (FLOW030 to
/// FLOW035), and the legal values next to it are quiet.
/// </summary>
public sealed class AttributeValueDiagnosticTests
{
    [Fact]
    public Task FLOW030_fires_on_a_negative_retry_count_delay_timeout_or_delay_cap() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = {|FLOW030:-1|})] public static int A(int x) => x;

            [Task(Retries = 2, RetryDelayMs = {|FLOW030:-100|})] public static int B(int x) => x;

            [Task(TimeoutMs = {|FLOW030:-5|})] public static int C(int x) => x;

            [Task(Retries = 2, RetryDelayMs = 100, MaxRetryDelayMs = {|FLOW030:-1|})] public static int D(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW030_is_quiet_for_zero_and_positive_counts_and_durations() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 0, RetryDelayMs = 0, TimeoutMs = 0, MaxRetryDelayMs = 0)] public static int A(int x) => x;

            [Task(Retries = 3, RetryDelayMs = 200, TimeoutMs = 5_000, MaxRetryDelayMs = 30_000)] public static int B(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW031_fires_on_a_backoff_below_one_not_a_number_or_infinite() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryBackoff = {|FLOW031:0.5|})] public static int A(int x) => x;

            [Task(Retries = 2, RetryBackoff = {|FLOW031:double.NaN|})] public static int B(int x) => x;

            [Task(Retries = 2, RetryBackoff = {|FLOW031:double.PositiveInfinity|})] public static int C(int x) => x;

            [Task(Retries = 2, RetryBackoff = {|FLOW031:0|})] public static int D(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW031_is_quiet_for_a_constant_or_growing_backoff() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryBackoff = 1)] public static int A(int x) => x;

            [Task(Retries = 2, RetryBackoff = 2.5)] public static int B(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW032_fires_on_a_jitter_below_zero_of_one_or_more_or_not_a_number() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = {|FLOW032:-0.1|})] public static int A(int x) => x;

            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = {|FLOW032:1.0|})] public static int B(int x) => x;

            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = {|FLOW032:double.NaN|})] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW032_is_quiet_for_a_jitter_from_zero_up_to_but_not_including_one() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = 0)] public static int A(int x) => x;

            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = 0.2)] public static int B(int x) => x;

            [Task(Retries = 2, RetryDelayMs = 100, RetryJitter = 0.99)] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW033_fires_at_each_entry_that_is_not_an_exception_type_null_or_a_constructed_generic() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryOn = new[] { typeof(IOException), {|FLOW033:typeof(string)|} })] public static int A(int x) => x;

            [Task(Retries = 2, RetryOn = new Type[] { {|FLOW033:null|}, typeof(TimeoutException) })] public static int B(int x) => x;

            [Task(Retries = 2, RetryOn = new[] { {|FLOW033:typeof(Failure<int>)|} })] public static int C(int x) => x;

            [Task(Retries = 2, RetryOn = [{|FLOW033:typeof(int[])|}])] public static int D(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW033_is_quiet_for_exception_types_derived_ones_and_generic_definitions_however_the_array_is_written() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryOn = new[] { typeof(IOException), typeof(TimeoutException) })] public static int A(int x) => x;

            [Task(Retries = 2, RetryOn = new Type[] { typeof(TransientException), typeof(Exception) })] public static int B(int x) => x;

            [Task(Retries = 2, RetryOn = [typeof(Failure<>), typeof(TaskTimedOutException)])] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW034_fires_on_a_null_or_empty_RetryOn() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2, RetryOn = {|FLOW034:null|})] public static int A(int x) => x;

            [Task(Retries = 2, RetryOn = {|FLOW034:new Type[0]|})] public static int B(int x) => x;

            [Task(Retries = 2, RetryOn = {|FLOW034:[]|})] public static int C(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW034_is_quiet_when_RetryOn_is_left_out_or_lists_a_type() => AttributeValueVerifier.VerifyAsync("""
        public static class T
        {
            [Task(Retries = 2)] public static int A(int x) => x;

            [Task(Retries = 2, RetryOn = new[] { typeof(IOException) })] public static int B(int x) => x;
        }
        """);

    [Fact]
    public Task FLOW035_fires_on_an_empty_or_white_space_task_or_flow_name() => AttributeValueVerifier.VerifyAsync("""
        public static partial class T
        {
            [Task(Name = {|FLOW035:""|})] public static int A(int x) => x;

            [Task(Name = {|FLOW035:"   "|})] public static int B(int x) => x;

            [Flow(Name = {|FLOW035:"\t"|})] public static int F(int x) => A(x);
        }
        """);

    [Fact]
    public Task FLOW035_is_quiet_for_a_readable_name_or_none() => AttributeValueVerifier.VerifyAsync("""
        public static partial class T
        {
            [Task(Name = "Load rows")] public static int A(int x) => x;

            [Task(Name = null)] public static int B(int x) => x;

            [Flow(Name = "etl")] public static int F(int x) => A(x);

            [Flow] public static int G(int x) => B(x);
        }
        """);

    [Fact]
    public Task Values_of_other_attributes_and_of_methods_without_one_are_not_checked() => AttributeValueVerifier.VerifyAsync("""
        [AttributeUsage(AttributeTargets.Method)]
        public sealed class OtherAttribute : Attribute
        {
            public int Retries { get; set; }

            public string Name { get; set; } = "x";
        }

        public static class T
        {
            [Other(Retries = -1, Name = "")] public static int A(int x) => x;
        }
        """);
}
