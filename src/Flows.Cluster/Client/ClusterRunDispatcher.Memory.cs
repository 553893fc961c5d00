using Flows.Cluster.Protocol;

namespace Flows.Cluster.Client;

/// <summary>
/// What the workers did about their memory while this run was in progress: counted for
/// <see cref="FlowRun.WorkerMemory"/> and told to the run's listeners as <see cref="WorkerMemoryEvent"/>s.
/// The workers' news comes with their poll answers, only when something changed, so a run under no
/// memory pressure pays nothing for it.
/// </summary>
internal sealed partial class ClusterRunDispatcher
{
    private readonly WorkerMemoryStats _memory = new();
    private int _registered;

    internal override WorkerMemoryStats? WorkerMemory
    {
        get
        {
            lock (_memory)
            {
                return _memory.Copy();
            }
        }
    }

    /// <summary>Hears the workers' memory news from now on (once per run: a field test per task after that).</summary>
    private void HearMemoryNews(ClusterSession session)
    {
        if (Volatile.Read(ref _registered) == 0 && Interlocked.Exchange(ref _registered, 1) == 0)
        {
            session.Runs[this] = true;
        }
    }

    private void StopHearingMemoryNews(ClusterSession session) => session.Runs.TryRemove(this, out _);

    /// <summary>A worker's news, against what it said before (null: nothing yet, in this session).</summary>
    public void NoteMemory(string worker, WorkerMemoryNews now, WorkerMemoryNews? before)
    {
        var spilled = now.BytesSpilled - (before?.BytesSpilled ?? 0);
        var spills = now.Spills - (before?.Spills ?? 0);
        var failures = now.SpillFailures - (before?.SpillFailures ?? 0);
        var readBack = now.BytesReadBack - (before?.BytesReadBack ?? 0);
        var pauses = now.Pauses - (before?.Pauses ?? 0);
        var resumes = now.Resumes - (before?.Resumes ?? 0);
        lock (_memory)
        {
            _memory.BytesSpilled += Math.Max(0, spilled);
            _memory.SpillCount += Math.Max(0, spills);
            _memory.SpillFailures += Math.Max(0, failures);
            _memory.BytesReadBack += Math.Max(0, readBack);
            _memory.Pauses += Math.Max(0, pauses);
            _memory.PeakWorkerMemory = Math.Max(_memory.PeakWorkerMemory, now.Peak);
            _memory.WorkerMemoryLimit = Math.Max(_memory.WorkerMemoryLimit, now.Limit);
        }

        if (RunEvents is not { } events || !events.Wants(FlowEventKinds.WorkerMemory))
        {
            return;
        }

        var time = EventClock.Now;
        if (spills > 0)
        {
            events.Publish(new WorkerSpilled(events.RunId, events.FlowName, time, worker, now.Limit, now.Resident, spilled, spills, null));
        }

        if (failures > 0)
        {
            events.Publish(new WorkerSpilled(events.RunId, events.FlowName, time, worker, now.Limit, now.Resident, 0, 0, now.LastSpillError ?? "a spill failed"));
        }

        // A pause and its resume may both have happened since the last answer: each is told, in order.
        for (var i = 0; i < pauses; i++)
        {
            events.Publish(new WorkerPaused(events.RunId, events.FlowName, time, worker, now.Limit, now.Resident));
            if (i < resumes)
            {
                events.Publish(new WorkerResumed(events.RunId, events.FlowName, time, worker, now.Limit, now.Resident));
            }
        }

        for (var i = pauses; i < resumes; i++)
        {
            events.Publish(new WorkerResumed(events.RunId, events.FlowName, time, worker, now.Limit, now.Resident));
        }
    }

    /// <summary>A worker restarts for its memory.</summary>
    public void NoteRestart(string worker, long limit, long reached, string? taskName, string cause)
    {
        lock (_memory)
        {
            _memory.Restarts++;
            _memory.PeakWorkerMemory = Math.Max(_memory.PeakWorkerMemory, reached);
            _memory.WorkerMemoryLimit = Math.Max(_memory.WorkerMemoryLimit, limit);
        }

        if (RunEvents is { } events && events.Wants(FlowEventKinds.WorkerMemory))
        {
            events.Publish(new WorkerRestarted(events.RunId, events.FlowName, EventClock.Now, worker, limit, reached, taskName, cause));
        }
    }
}
