using Flows.Cluster.Protocol;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>Which workers are live: waiting for them at the start, membership refreshes and pings (a silent worker whose process lives is busy, not lost), a worker joining, and a worker lost (its running requests charged, the others sent elsewhere).</summary>
internal sealed partial class ClusterSession
{
    /// <summary>Waits until at least <paramref name="workers"/> workers are in the cluster.</summary>
    public async Task WaitForWorkersAsync(int workers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            await RefreshAsync().ConfigureAwait(false);
            if (Workers.Count >= workers)
            {
                break;
            }

            try
            {
                await Task.Delay(50, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The cluster has {Workers.Count} Flows worker(s) after {timeout.TotalSeconds:0.#} s; {workers} were expected. Start workers with `dotnet Flows.Cluster.dll worker ...` (see the README).");
            }
        }

        _refreshTimer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Every second: membership (joins and declared deaths), and a ping to each worker that has tasks
    /// in flight. Membership takes Orleans' probes to declare a silo dead (tens of seconds with
    /// production settings); a worker that misses two pings in a row (more when it is busy) is treated as lost
    /// sooner, unless it is a local cluster's worker whose process still runs (busy, not dead).
    /// </summary>
    private async Task RefreshAndPingAsync()
    {
        await RefreshAsync().ConfigureAwait(false);
        foreach (var link in Workers)
        {
            if (link.InFlight.IsEmpty || Interlocked.Exchange(ref link.Pinging, 1) != 0)
            {
                continue;
            }

            _ = PingAsync(link);
        }
    }

    private async Task PingAsync(WorkerLink link)
    {
        try
        {
            await link.Grain.Describe().WaitAsync(PingTimeout, _closing.Token).ConfigureAwait(false);
            link.MissedPings = 0;
        }
        catch (Exception ex) when (!_closing.IsCancellationRequested)
        {
            // A busy worker answers late: the more tasks it has queued per thread, the more pings it
            // may miss (up to 5) before it is lost, where only pings can tell.
            var limit = 2 + Math.Min(3, link.HoldingThreads / link.Threads);
            if (++link.MissedPings >= limit && IsProcessAlive(link))
            {
                // Busy (CPU or memory pressure) but alive: a local cluster sees its process exit the
                // moment it dies, so a slow answer is no reason to give its tasks to others.
                if (link.MissedPings == limit)
                {
                    _logger.LogWarning("Flows cluster: worker {Worker} did not answer {Pings} pings in a row ({Error}); its process runs, so it is taken as busy, not lost", link.Key, limit, ex.Message);
                }
            }
            else if (link.MissedPings >= limit)
            {
                LoseWorker(link.Key, $"it did not answer {limit} pings in a row (last: {ex.GetType().Name}: {ex.Message})");
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref link.Pinging, 0);
        }
    }

    /// <summary>Whether the backend knows first-hand that the worker's process still runs (a local cluster's worker).</summary>
    private bool IsProcessAlive(WorkerLink link) => _backend.IsWorkerProcessAlive(link.Key) == true;

    /// <summary>
    /// Why the last read of the cluster's membership failed (the client lost its gateways, for example); null
    /// once a read succeeds. The worker list is then what the last good read said.
    /// </summary>
    public string? MembershipError => Volatile.Read(ref _membershipError);

    /// <summary>Brings the worker list in line with cluster membership: new workers join, departed ones are lost.</summary>
    public async Task RefreshAsync()
    {
        if (_closing.IsCancellationRequested || Interlocked.Exchange(ref _refreshing, 1) != 0)
        {
            return;
        }

        try
        {
            var keys = await _backend.ListWorkersAsync(_closing.Token).ConfigureAwait(false);

            // New silos are asked at once, not one after another: a first call activates the worker's grain there.
            var fresh = keys.Where(key => !Workers.Any(w => w.Key == key) && !_notWorkers.ContainsKey(key));
            foreach (var link in await Task.WhenAll(fresh.Select(DescribeAsync)).ConfigureAwait(false))
            {
                if (link is not null)
                {
                    AddWorker(link);
                }
            }

            foreach (var link in Workers)
            {
                if (!keys.Contains(link.Key))
                {
                    LoseWorker(link.Key, "it left the cluster (cluster membership declared it dead or gone)");
                }
            }

            Volatile.Write(ref _membershipError, null);
        }
        catch (Exception ex) when (!_closing.IsCancellationRequested)
        {
            Volatile.Write(ref _membershipError, ex.GetBaseException().Message);
            _logger.LogWarning(ex, "Flows cluster: could not read the cluster's membership");
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    /// <summary>The link to a silo that describes itself as a Flows worker; null if it does not (yet).</summary>
    private async Task<WorkerLink?> DescribeAsync(string key)
    {
        var grain = _backend.Grains.GetGrain<IWorkerGrain>(key);
        WorkerDescription description;
        try
        {
            description = await grain.Describe().WaitAsync(TimeSpan.FromSeconds(10), _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex.ToString().Contains(WorkerGrainRefusal, StringComparison.Ordinal))
            {
                // A silo of the cluster that runs no tasks: never asked again.
                _notWorkers[key] = true;
            }

            _logger.LogDebug(ex, "Flows cluster: silo {Worker} did not describe itself as a worker (yet)", key);
            return null;
        }

        return new WorkerLink(key, grain, description.Threads);
    }

    private void AddWorker(WorkerLink link)
    {
        lock (_gate)
        {
            if (_live.Any(w => w.Key == link.Key))
            {
                return;
            }

            _live = [.. _live, link];
        }

        _logger.LogInformation("Flows cluster: worker {Worker} joined with {Threads} thread(s)", link.Key, link.Threads);
        _ = PollLoopAsync(link);

        // Requests that found no worker go now.
        SendBurst.Enter();
        try
        {
            var parked = _parked.Count;
            for (var i = 0; i < parked && _parked.TryDequeue(out var request); i++)
            {
                Dispatch(request);
            }

            // Work waiting for a thread has one more worker to go to.
            DispatchWaiting();
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    /// <summary>
    /// A worker is gone: requests in flight there (and those fetching from it) go elsewhere; its
    /// results are lost, to be recomputed when a reader needs them.
    /// </summary>
    public void LoseWorker(string key, string cause)
    {
        WorkerLink? link;
        lock (_gate)
        {
            link = _live.FirstOrDefault(w => w.Key == key);
            if (link is null)
            {
                return;
            }

            link.IsDead = true;
            _live = _live.Where(w => w != link).ToArray();
        }

        _logger.LogWarning("Flows cluster: worker {Worker} is lost: {Cause}", key, cause);
        // Only a request that was running is charged the death: one the worker reported started, or
        // one of the oldest (a worker takes its requests in order, one per thread) whose report may
        // not have arrived. Those queued behind go elsewhere as if nothing happened.
        var mayHaveRun = link.InFlight.Keys.Order().Take(link.Threads).ToHashSet();
        SendBurst.Enter();
        try
        {
            foreach (var (wireId, request) in link.InFlight)
            {
                if (!link.TryTake(wireId, out _))
                {
                    continue;
                }

                request.CancelRegistration.Dispose();
                if (request.Attempt is { } attempt)
                {
                    if (attempt.IsSettled)
                    {
                        continue;
                    }

                    var ran = request.StartedWireId == wireId || mayHaveRun.Contains(wireId);
                    if (ran && MemoryCause(cause, wireId) is { } memory)
                    {
                        // The worker said, as it exited, that this task grew it past its memory limit.
                        attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName, memory));
                        continue;
                    }

                    if (ran && ++request.WorkerDeaths > _workerDeathsForgiven)
                    {
                        attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName,
                            $"{request.WorkerDeaths} workers died while running it; the last, {key}, because {cause}"));
                        continue;
                    }
                }

                Dispatch(request);
            }

            // Requests elsewhere that still have to fetch an input from the dead worker would wait
            // for Orleans to notice the death; they are sent again instead (after a recomputation).
            foreach (var survivor in Workers)
            {
                foreach (var (wireId, request) in survivor.InFlight)
                {
                    if (request.ReadsFrom(link) && survivor.TryTake(wireId, out _))
                    {
                        Dispatch(request);
                    }
                }
            }

            DispatchWaiting();
        }
        finally
        {
            SendBurst.Exit();
        }
    }
}
