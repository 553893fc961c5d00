using System.Reflection;
using Flows.Graph;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// The retry policy of [Task] (RetryOn, RetryJitter, MaxRetryDelayMs) reaches the generated descriptors:
/// the code compiles cleanly, and RetryOn's type names are the very names the runtime gives those types.
/// </summary>
public sealed class RetryPolicyEmittedCodeTests
{
    private const string Source = """
        using System;
        using System.IO;
        using Flows;

        namespace Policies
        {
            public sealed class Failure<TCode> : Exception
            {
                public Failure(string message) : base(message) { }
            }

            public static class Outer
            {
                public sealed class TransientException : IOException
                {
                    public TransientException(string message) : base(message) { }
                }
            }

            public static partial class Retrying
            {
                public static int s_picky;
                public static int s_generic;

                [Task(Retries = 4, RetryDelayMs = 1, RetryBackoff = 3, RetryJitter = 0.25, MaxRetryDelayMs = 1_000,
                      RetryOn = new[] { typeof(IOException), typeof(Outer.TransientException), typeof(Failure<>), typeof(IOException) })]
                public static int Picky(int x) => ++s_picky == 1 ? throw new Outer.TransientException("again") : throw new ArgumentException("never");

                [Task(Retries = 2, RetryOn = [typeof(Failure<>)])]
                public static int Generic(int x) => ++s_generic < 3 ? throw new Failure<int>("soon") : x;

                [Task]
                public static int Plain(int x) => x;

                [Flow]
                public static int Run(int x)
                {
                    var a = Picky(x);
                    return Plain(a);
                }

                [Flow]
                public static int RunGeneric(int x) => Generic(x);
            }
        }
        """;

    [Fact]
    public void Code_emitted_for_the_retry_policy_compiles_with_no_diagnostics_at_all()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        var registry = GeneratorHarness.GeneratedFiles(result)["Flows.TaskRegistry.g.cs"];
        Assert.Contains("retryOn: new string[] { \"System.IO.IOException\", \"Policies.Outer+TransientException\", \"Policies.Failure`1\" },", registry, StringComparison.Ordinal);
        Assert.Contains("retryJitter: 0.25D,", registry, StringComparison.Ordinal);
        Assert.Contains("maxRetryDelayMs: 1000,", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryOn_holds_the_runtime_full_names_of_the_listed_types_once_each_in_order()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);

        var picky = Descriptor(assembly, "Policies.Retrying+RunFlow", 0);

        Assert.Equal(
            new[] { typeof(IOException).FullName!, assembly.Type("Policies.Outer+TransientException").FullName!, assembly.Type("Policies.Failure`1").FullName! },
            picky.RetryOn);
        Assert.Equal((4, 1, 3.0, 0.25, 1000), (picky.Retries, picky.RetryDelayMs, picky.RetryBackoff, picky.RetryJitter, picky.MaxRetryDelayMs));
        var plain = Descriptor(assembly, "Policies.Retrying+RunFlow", 1);
        Assert.Empty(plain.RetryOn);
        Assert.Equal((0.0, 0), (plain.RetryJitter, plain.MaxRetryDelayMs));
    }

    [Fact]
    public async Task A_generated_flow_retries_a_listed_derived_type_and_fails_at_once_on_another()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        using var executor = new LocalExecutor();

        // Picky throws a TransientException (an IOException) first: retried; then an ArgumentException,
        // which RetryOn does not list: the task fails with retries left.
        var run = await RunAsync(assembly, "Policies.Retrying+RunFlow", executor, 1);
        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal((TaskState.Failed, 2), (run.Tasks[0].State, run.Tasks[0].Attempts));
        Assert.IsType<ArgumentException>(run.Tasks[0].Exception);

        // Failure<int> is matched by RetryOn's typeof(Failure<>).
        var generic = await RunAsync(assembly, "Policies.Retrying+RunGenericFlow", executor, 7);
        Assert.Equal((TaskState.Succeeded, 3), (generic.Tasks[0].State, generic.Tasks[0].Attempts));
    }

    private static TaskDescriptor Descriptor(LoadedAssembly assembly, string flowClass, int node) =>
        ((FlowGraph)assembly.StaticProperty(flowClass, "Graph")!).Nodes[node].Task!;

    private static async Task<FlowRun> RunAsync(LoadedAssembly assembly, string flowClass, FlowExecutor executor, int x)
    {
        var runAsync = assembly.Type(flowClass).GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
        var task = (Task)runAsync.Invoke(null, new object?[] { executor, x, CancellationToken.None, null })!;
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        return (FlowRun)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
