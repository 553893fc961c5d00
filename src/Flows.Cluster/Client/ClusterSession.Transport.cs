using Flows.Cluster.Protocol;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>The session's messages: one send loop and one poll loop per worker.</summary>
internal sealed partial class ClusterSession
{
    /// <summary>Starts sending what waits for <paramref name="link"/>, unless a send loop already runs for it.</summary>
    public void Flush(WorkerLink link)
    {
        if (Interlocked.Exchange(ref link.Sending, 1) == 0)
        {
            _ = SendLoopAsync(link);
        }
    }

    private async Task SendLoopAsync(WorkerLink link)
    {
        var batch = new List<RunRequest>();
        var builds = new List<AssemblyBuild>();
        var releases = new List<long>();
        while (true)
        {
            batch.Clear();
            builds.Clear();
            releases.Clear();
            while (batch.Count < MaxBatch && link.Outgoing.TryDequeue(out var item))
            {
                batch.Add(item.Wire);
                if (!link.Prepared.ContainsKey(item.Build.Name) && !builds.Contains(item.Build))
                {
                    builds.Add(item.Build);
                }
            }

            while (releases.Count < 4096 && link.Releases.TryDequeue(out var id))
            {
                releases.Add(id);
            }

            if (batch.Count == 0 && releases.Count == 0)
            {
                Volatile.Write(ref link.Sending, 0);
                if ((link.Outgoing.IsEmpty && link.Releases.IsEmpty) || Interlocked.Exchange(ref link.Sending, 1) != 0)
                {
                    return;
                }

                continue;
            }

            if (link.IsDead || _closing.IsCancellationRequested)
            {
                continue;
            }

            if (releases.Count > 0)
            {
                try
                {
                    await link.Grain.Release(ClientId, releases.ToArray()).ConfigureAwait(false);
                }
                catch (Exception ex) when (!_closing.IsCancellationRequested)
                {
                    // Results not freed now are freed when the worker drops this client (or dies).
                    _logger.LogDebug(ex, "Flows cluster: releasing results on worker {Worker} failed", link.Key);
                }
            }

            var stage = SendStage.Prepare;
            try
            {
                if (builds.Count > 0)
                {
                    SendFault?.Invoke(link, stage);
                    var refused = await link.Grain.Prepare(builds.ToArray()).ConfigureAwait(false);
                    if (refused is not null)
                    {
                        RefuseAll(link, batch, refused);
                        continue;
                    }

                    foreach (var build in builds)
                    {
                        link.Prepared[build.Name] = true;
                    }
                }

                if (batch.Count > 0)
                {
                    stage = SendStage.Submit;
                    SendFault?.Invoke(link, stage);
                    await link.Grain.Submit(ClientId, batch.ToArray()).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!_closing.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Flows cluster: sending {Count} request(s) to worker {Worker} failed at {Stage}", batch.Count, link.Key, stage);
                _ = SendFailedAsync(link, batch.ToArray(), stage, ex);
            }
        }
    }

    /// <summary>Test hook: called before each prepare and submit call; what it throws counts as that call's failure.</summary>
    internal Action<WorkerLink, SendStage>? SendFault { get; set; }

    /// <summary>
    /// A batch did not reach its worker. A worker that does not answer a ping is lost (its requests,
    /// this batch's among them, go to survivors); one that answers refused the batch, so its requests
    /// fail with the cause (and are retried where retries are left) instead of staying in flight forever.
    /// </summary>
    private async Task SendFailedAsync(WorkerLink link, RunRequest[] batch, SendStage stage, Exception error)
    {
        bool answers;
        try
        {
            await link.Grain.Describe().WaitAsync(PingTimeout, _closing.Token).ConfigureAwait(false);
            answers = true;
        }
        catch (Exception) when (!_closing.IsCancellationRequested)
        {
            answers = false;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!answers && !IsProcessAlive(link))
        {
            LoseWorker(link.Key, $"sending to it failed ({error.GetType().Name}: {error.Message}) and it did not answer a ping");
            return;
        }

        var what = stage == SendStage.Prepare
            ? "preparing its task assembly on"
            : "submitting it to";
        var hint = stage == SendStage.Prepare
            ? "Check that the task assembly is still on disk where the flow process loaded it from, and that the workers run the same build."
            : "Check the worker's log; the task was not run.";
        SendBurst.Enter();
        try
        {
            foreach (var wire in batch)
            {
                if (link.TryTake(wire.Id, out var request))
                {
                    request.CancelRegistration.Dispose();
                    Failed(request, Refusal(request, $"it could not be sent: {what} worker {link.Key} failed ({error.GetType().Name}: {error.Message.TrimEnd('.')}). {hint}"));
                }
            }
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    private void RefuseAll(WorkerLink link, List<RunRequest> batch, string reason)
    {
        foreach (var wire in batch)
        {
            if (link.TryTake(wire.Id, out var request))
            {
                request.CancelRegistration.Dispose();
                Failed(request, Refusal(request, reason));
            }
        }
    }

    private async Task PollLoopAsync(WorkerLink link)
    {
        var failures = 0;
        var poll = link.Grain.Poll(ClientId, _pollWaitMs, link.ReceivedAnswer);
        while (!link.IsDead && !_closing.IsCancellationRequested)
        {
            TaskOutcome[] outcomes;
            try
            {
                var answer = await poll.ConfigureAwait(false);
                failures = 0;

                // An answer sent again (its first sending was lost) may repeat outcomes already
                // handled: Handle ignores a request it no longer has.
                outcomes = answer.Outcomes;
                NoteMemory(link, answer.Memory);
                if (answer.Sequence > link.ReceivedAnswer)
                {
                    link.ReceivedAnswer = answer.Sequence;
                }
            }
            catch (Exception ex) when (!_closing.IsCancellationRequested)
            {
                if (link.IsDead)
                {
                    return;
                }

                _logger.LogDebug(ex, "Flows cluster: polling worker {Worker} failed", link.Key);
                if (++failures >= 3 && IsProcessAlive(link))
                {
                    // A local cluster's worker whose process runs is busy, not lost: keep polling, a little slower.
                    _logger.LogWarning("Flows cluster: worker {Worker} did not answer 3 polls in a row ({Error}); its process runs, so it is taken as busy, not lost", link.Key, ex.Message);
                    failures = 0;
                    await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
                }
                else if (failures >= 3)
                {
                    LoseWorker(link.Key, $"it did not answer 3 polls in a row (last: {ex.GetType().Name}: {ex.Message})");
                    return;
                }

                await RefreshAsync().ConfigureAwait(false);
                poll = link.Grain.Poll(ClientId, _pollWaitMs, link.ReceivedAnswer);
                continue;
            }
            catch (Exception)
            {
                return;
            }

            // The next poll leaves before these outcomes are handled, so that it already waits at
            // the worker when the tasks they release finish there (a chain saves a message per step).
            poll = link.Grain.Poll(ClientId, _pollWaitMs, link.ReceivedAnswer);
            if (outcomes.Length == 0 || link.IsDead)
            {
                continue;
            }

            SendBurst.Enter();
            try
            {
                foreach (var outcome in outcomes)
                {
                    Handle(link, outcome);
                }

                // The threads these outcomes freed take the work waiting for one.
                DispatchWaiting();
            }
            finally
            {
                SendBurst.Exit();
            }
        }

        // A poll still out when the loop ends is not awaited; observe its fault.
        _ = poll.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void Handle(WorkerLink link, TaskOutcome outcome)
    {
        if (outcome.Kind == OutcomeKind.Started)
        {
            if (link.InFlight.TryGetValue(outcome.RequestId, out var started))
            {
                started.StartedWireId = outcome.RequestId;
            }

            return;
        }

        if (!link.TryTake(outcome.RequestId, out var request))
        {
            // Sent elsewhere meanwhile (its worker or an input's worker died): this answer is stale.
            return;
        }

        request.CancelRegistration.Dispose();
        request.Run.AddBytes(outcome.BytesFetched + (outcome.Result?.Length ?? 0) + (outcome.Logs?.Length ?? 0));
        if (outcome.Logs is { Length: > 0 } logs)
        {
            // Before the outcome: what the task logged is in the factory when its attempt settles.
            request.Attempt?.RelayLogs(logs, framed: true, $"cluster worker {link.Key}");
        }

        if (outcome.RunMicroseconds > 0)
        {
            request.Task.RunTime.Note(outcome.RunMicroseconds);
        }

        request.Attempt?.NoteCodeRan(outcome.RunMicroseconds);
        switch (outcome.Kind)
        {
            case OutcomeKind.Succeeded:
                Succeeded(link, request, outcome);
                break;
            case OutcomeKind.InputLost:
                InputLost(request, outcome);
                break;
            case OutcomeKind.MemoryExceeded:
                MemoryExceeded(link, request, outcome);
                break;
            default:
                // Failed, Cancelled or Refused: decoded as every worker's failures are.
                Failed(request, outcome.ToFailure().ToException(request.Attempt?.FlowName, request.Attempt?.TaskName ?? request.Name));
                break;
        }
    }

    private void Succeeded(WorkerLink link, ClusterRequest request, TaskOutcome outcome)
    {
        var output = request.Output;
        if (output is not null)
        {
            output.Size = outcome.ResultSize;
            output.Owner = link;
            output.Released = false;
            link.Owned[output.Id] = output;
        }

        if (request.Attempt is not { } attempt)
        {
            output?.EndRecompute(null);
            return;
        }

        if (attempt.IsSettled)
        {
            // Timed out or cancelled meanwhile: nobody will read the result.
            if (output is not null)
            {
                Release(output);
            }

            return;
        }

        if (request.ReturnResult)
        {
            object? value;
            try
            {
                value = request.Task.Codec!.ReadResult(outcome.Result ?? []);
            }
            catch (Exception ex)
            {
                attempt.Fail(ex);
                return;
            }

            if (request.KeptHere)
            {
                attempt.Store?.Keep(attempt.StoreNode, attempt.ElementIndex, request.Task, value, request.CacheKey);
            }

            SucceedStored(link, request, attempt, outcome, value);
        }
        else
        {
            SucceedStored(link, request, attempt, outcome, output);
        }

        // Each input read by this task has one reader fewer (a value it reads twice counts once, as
        // in ResultUse); one nobody else reads is freed.
        var inputs = request.Inputs;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Reference is { KeepUntilRunEnd: false } reference && !ReadEarlier(inputs, i, reference)
                && Interlocked.Decrement(ref reference.Readers) == 0)
            {
                Release(reference);
            }
        }
    }

    /// <summary>Whether an input before <paramref name="position"/> is the same reference.</summary>
    private static bool ReadEarlier(ClientInput[] inputs, int position, RemoteResult reference)
    {
        for (var i = 0; i < position; i++)
        {
            if (inputs[i].Reference == reference)
            {
                return true;
            }
        }

        return false;
    }

    private void InputLost(ClusterRequest request, TaskOutcome outcome)
    {
        if (++request.InputLosses > MaxInputLosses)
        {
            Failed(request, Refusal(request, $"an input could not be fetched {MaxInputLosses} times; last: {outcome.ErrorMessage}"));
            return;
        }

        _logger.LogInformation("Flows cluster: {Task} lost an input ({Reason}); checking the workers and sending it again", request.Name, outcome.ErrorMessage);
        _ = ResendAfterCheckAsync(request);
    }

    private async Task ResendAfterCheckAsync(ClusterRequest request)
    {
        // The owner may have died without the session knowing yet: membership tells.
        await RefreshAsync().ConfigureAwait(false);
        foreach (var input in request.Inputs)
        {
            if (input.Reference is { } reference && reference.Owner is { IsDead: false } owner && !owner.Owned.ContainsKey(reference.Id))
            {
                reference.Released = true;
            }
        }

        SendBurst.Enter();
        try
        {
            Dispatch(request);
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    /// <summary>A refusal in the wording every executor uses, naming the request's flow and task.</summary>
    private static WorkerRefusedException Refusal(ClusterRequest request, string reason) =>
        request.Attempt is { } attempt
            ? WorkerRefusedException.For(attempt.FlowName, attempt.TaskName, reason)
            : WorkerRefusedException.For(null, request.Name, reason);

    /// <summary>Fails the request's attempt, or the recomputation it is.</summary>
    private static void Failed(ClusterRequest request, Exception error)
    {
        if (request.Attempt is { } attempt)
        {
            attempt.Fail(error);
        }
        else
        {
            request.Output?.EndRecompute(error);
        }
    }
}
