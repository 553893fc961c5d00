using System.Buffers;
using System.Security.Cryptography;
using Flows.Graph;
using Flows.Storage;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>The run's use of its store: creating and resuming stored runs, restoring checkpoints, the cache.</summary>
internal sealed partial class FlowRunState
{
    /// <summary>Task runs restored or taken from the cache on this thread that wait for their turn (see <see cref="SubmitOrTakeStored"/>).</summary>
    [ThreadStatic]
    private static Queue<(NodeRun Node, int Element)>? t_storedPending;

    /// <summary>The run's store; null without one (then nothing here costs anything).</summary>
    public RunStore? Store { get; }

    /// <summary>The run's id (<see cref="FlowRunOptions.RunId"/> or a new one).</summary>
    public string RunId { get; private init; } = string.Empty;

    /// <summary>What the run's tasks log through (null when it has no logger factory); a subflow shares its parent's.</summary>
    public Logging.RunLogging? TaskLogs { get; private init; }

    private static string NewRunId() => Guid.NewGuid().ToString("N");

    /// <summary>Records a new run in its store, with its arguments when the flow's types let them be kept.</summary>
    private static RunStore CreateStoredRun(FlowGraph graph, FlowStore store, string runId, object?[] arguments, ILogger? logger)
    {
        store.ThrowIfDisposed();
        byte[]? bytes = null;
        if (graph.ArgumentsCodec is { } codec)
        {
            var buffer = new ArrayBufferWriter<byte>();
            codec.Write(arguments, buffer);
            bytes = buffer.WrittenSpan.ToArray();
        }

        store.CreateRun(runId, graph.Name, HashOf(graph), bytes);
        return new RunStore(store, runId, graph.Name, logger, checkpoints: null);
    }

    public static async Task<FlowRunState> ResumeAsync(FlowGraph graph, FlowExecutor executor, string runId, FlowRunOptions? options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (options?.Store is not { } store)
        {
            throw new ArgumentException($"Flow '{graph.Name}': ResumeAsync reads run '{runId}' from a store: give it the run's FlowRunOptions.Store.", nameof(options));
        }

        store.ThrowIfDisposed();
        var logger = options.LoggerFactory?.CreateLogger("Flows.FlowRun");

        // SQLite reads block: done off the caller's thread.
        var limits = Flows.Limits.RunLimits.Create(graph, executor, options);
        var claimed = await Task.Run(() => store.ClaimRun(runId, graph.Name, HashOf(graph)), token).ConfigureAwait(false);
        var stored = new RunStore(store, runId, graph.Name, logger, claimed.Checkpoints);
        object?[] arguments;
        try
        {
            arguments = ReadArguments(graph, store, runId, claimed.Arguments);
        }
        catch
        {
            await stored.EndAsync(FlowState.Failed).ConfigureAwait(false);
            throw;
        }

        return Begin(graph, executor, arguments, options, logger, runId, stored, resumed: true, token, limits);
    }

    private static object?[] ReadArguments(FlowGraph graph, FlowStore store, string runId, byte[]? bytes)
    {
        if (graph.ArgumentsCodec is not { } codec || bytes is null)
        {
            throw new FlowStoreException(
                store.Path,
                $"Flow '{graph.Name}': run '{runId}' cannot be resumed because its arguments were not kept: a parameter's type has no generated serializer. " +
                "Give the flow parameters of serializable types, or start a new run with RunAsync.");
        }

        object?[] arguments;
        try
        {
            arguments = codec.Read(bytes);
        }
        catch (FlowSerializationException ex)
        {
            throw new FlowStoreException(
                store.Path,
                $"Flow '{graph.Name}': the arguments of run '{runId}' in store '{store.Path}' do not read back ({ex.Message.TrimEnd('.')}): the store was damaged, or a parameter type's serializer changed. Start a new run with RunAsync.",
                ex);
        }

        CheckArguments(graph, arguments);
        return arguments;
    }

    /// <summary>
    /// The graph's hash with those of its subflows, so that a change inside a subflow also refuses a
    /// resume; null for a hand-built graph without one.
    /// </summary>
    private static string? HashOf(FlowGraph graph)
    {
        if (graph.Hash is null)
        {
            return null;
        }

        var subflows = graph.Nodes.Where(n => n.Subflow is not null).Select(n => HashOf(n.Subflow!) ?? "-").ToList();
        if (subflows.Count == 0)
        {
            return graph.Hash;
        }

        var text = graph.Hash + "|" + string.Join("|", subflows);
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>Waits until the run's checkpoints are written and marks its end in the store (nothing without a store).</summary>
    public Task EndStoredRunAsync() => Store is null ? Task.CompletedTask : Store.EndAsync(State);

    /// <summary>
    /// Runs a task run, unless its result can be taken from the store: restored from the checkpoint of
    /// the run being resumed, or taken from the cache. A run taken from the store finishes at once and
    /// may release more of them; those wait in a queue of this thread, so that a long chain or a large
    /// map restored in one go does not take a stack frame per task.
    /// </summary>
    private void SubmitOrTakeStored(NodeRun node, int element)
    {
        if (t_storedPending is { } pending)
        {
            pending.Enqueue((node, element));
            return;
        }

        pending = t_storedPending = new Queue<(NodeRun, int)>();
        try
        {
            pending.Enqueue((node, element));
            while (pending.TryDequeue(out var next))
            {
                var run = next.Node.Run;
                if (!run.TryTakeStored(next.Node, next.Element))
                {
                    run.Submit(new TaskAttempt(next.Node, next.Element, 1));
                }
            }
        }
        finally
        {
            t_storedPending = null;
        }
    }

    private bool TryTakeStored(NodeRun node, int element)
    {
        var store = Store!;
        var task = node.Node.Task!;
        var name = NamePrefix + node.Node.Name;
        if (IsCancelled)
        {
            return false;
        }

        if (store.TryRestore(name, element, task, out var value))
        {
            FinishFromStore(node, element, value, TaskOrigin.Restored);
            return true;
        }

        if (!task.IsCached || Dispatcher.KeepsResultsElsewhere)
        {
            return false;
        }

        var display = RunStore.NameOf(name, element);
        var arguments = element < 0
            ? new TaskArguments(Slots, node.Node.Inputs)
            : new TaskArguments(Slots, node.Node.Inputs, node.Map!.ElementAt(node.Node.Map!, element));
        if (RunStore.TryCacheKeyOf(task, in arguments, Logger, FlowName, display) is not { } key)
        {
            return false;
        }

        if (store.TryCached(key, task, display, out value))
        {
            FinishFromStore(node, element, value, TaskOrigin.Cached);
            return true;
        }

        store.RememberCacheKey(node, element, key);
        return false;
    }

    private void FinishFromStore(NodeRun node, int element, object? value, TaskOrigin origin)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        ref var stats = ref element < 0 ? ref node.Stats : ref node.Map!.Elements[element];
        stats.Origin = origin;
        stats.FirstStart = stats.LastEnd = now;
        if (element < 0)
        {
            Finish(node, TaskState.Succeeded, value, null);
        }
        else
        {
            FinishElement(node, element, TaskState.Succeeded, value, null);
        }
    }
}
