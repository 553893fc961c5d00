using System.Collections.Concurrent;

namespace Flows.Cluster.Client;

/// <summary>
/// One flow run on the cluster: turns the scheduler's attempts into requests, counts the bytes the
/// run moves, and frees the run's remaining results when it ends.
/// </summary>
internal sealed partial class ClusterRunDispatcher : WorkDispatcher
{
    private readonly Task<ClusterSession> _session;
    private readonly ConcurrentQueue<RemoteResult> _outputs = new();
    private long _bytesMoved;

    public ClusterRunDispatcher(Task<ClusterSession> session)
    {
        _session = session;
    }

    /// <summary>The session, once the cluster has started (dispatching waits for that).</summary>
    public ClusterSession Session => _session.Result;

    public override long BytesMoved => Interlocked.Read(ref _bytesMoved);

    public void AddBytes(long bytes)
    {
        if (bytes != 0)
        {
            Interlocked.Add(ref _bytesMoved, bytes);
        }
    }

    public override void Submit(TaskAttempt attempt)
    {
        if (_session.IsCompletedSuccessfully)
        {
            Send(_session.Result, attempt);
            return;
        }

        // A lazily started cluster: attempts wait for it (or learn why it did not start).
        _session.ContinueWith(
            static (t, s) =>
            {
                var (dispatcher, a) = ((ClusterRunDispatcher, TaskAttempt))s!;
                if (t.IsCompletedSuccessfully)
                {
                    SendBurst.Enter();
                    try
                    {
                        dispatcher.Send(t.Result, a);
                    }
                    finally
                    {
                        SendBurst.Exit();
                    }
                }
                else
                {
                    a.Reject(new InvalidOperationException($"Flow '{a.FlowName}': task '{a.TaskName}' could not run because the cluster did not start: {t.Exception?.GetBaseException().Message}", t.Exception?.GetBaseException()));
                }
            },
            (this, attempt),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Send(ClusterSession session, TaskAttempt attempt)
    {
        HearMemoryNews(session);
        var task = attempt.Task;
        if (task.Codec is not { } codec)
        {
            attempt.Reject(new FlowDefinitionException(
                $"Flow '{attempt.FlowName}': task '{attempt.TaskName}' has no generated serializer for its inputs or result, so it cannot run on a cluster. " +
                "Declare the flow with [Flow(RunsOn = ExecutorKinds.Cluster)] to see which type is the problem (FLOW101)."));
            return;
        }

        var arguments = attempt.Arguments;
        var inputs = new ClientInput[arguments.Count];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var value = arguments[i];
                inputs[i] = value is RemoteResult reference
                    ? new ClientInput(null, reference)
                    : new ClientInput(ClusterSession.WriteInput(codec, i, value), null);
            }
        }
        catch (Exception ex)
        {
            attempt.Reject(ex);
            return;
        }

        if (!PlanStore(session, attempt, inputs, out var store))
        {
            return;
        }

        var use = attempt.ResultUse;
        var returnResult = use.ReadByRunner || store.KeptHere;
        RemoteResult? output = null;
        if (!returnResult)
        {
            output = new RemoteResult(session.NextId(), task, use.TaskReaders, use.ReadByComposite || use.TaskReaders == 0);
            _outputs.Enqueue(output);
        }

        var request = new ClusterRequest(attempt, task, $"{attempt.FlowName}: {attempt.TaskName}", inputs, returnResult, output, this)
        {
            Store = store.OnWorker,
            KeptHere = store.KeptHere,
            CacheKey = store.CacheKey,
        };
        if (output is not null)
        {
            output.Lineage = request;
        }

        session.Dispatch(request);
    }

    /// <summary>A chain's intermediate result nobody reads any more: freed on its worker now rather than when the run ends.</summary>
    internal override void Discard(object? value)
    {
        if (value is RemoteResult result && _session.IsCompletedSuccessfully)
        {
            _session.Result.Release(result);
        }
    }

    public override void BeginBurst() => SendBurst.Enter();

    public override void EndBurst() => SendBurst.Exit();

    public override void RunEnded()
    {
        if (!_session.IsCompletedSuccessfully)
        {
            return;
        }

        var session = _session.Result;
        StopHearingMemoryNews(session);
        SendBurst.Enter();
        try
        {
            while (_outputs.TryDequeue(out var output))
            {
                session.Release(output);
                output.Lineage = null;
            }
        }
        finally
        {
            SendBurst.Exit();
        }
    }
}
