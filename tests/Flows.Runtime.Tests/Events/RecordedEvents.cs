namespace Flows.Runtime.Tests;

/// <summary>A listener that keeps every event it is given, and each task run's story as text.</summary>
public sealed class RecordedEvents : IFlowEventListener
{
    private readonly List<FlowEvent> _events = new();

    /// <summary>Every event, in the order delivered (read it after RunAsync returned: it waits for delivery).</summary>
    public IReadOnlyList<FlowEvent> All
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public void OnEvent(FlowEvent flowEvent)
    {
        lock (_events)
        {
            _events.Add(flowEvent);
        }
    }

    /// <summary>What happened to each task run, by name: "start 1", "retry 1 Failed", "end Succeeded 1"...</summary>
    public Dictionary<string, List<string>> Stories()
    {
        var stories = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var e in All.OfType<TaskEvent>())
        {
            if (!stories.TryGetValue(e.Task, out var story))
            {
                stories[e.Task] = story = new List<string>();
            }

            story.Add(e switch
            {
                TaskStarted s => $"start {s.Attempt}",
                TaskRetrying r => $"retry {r.Attempt} {r.Outcome}",
                TaskFinished f => $"end {f.State} {f.Attempts}",
                _ => e.GetType().Name,
            });
        }

        return stories;
    }

    /// <summary>The position of the first event that matches, or fails the test.</summary>
    public int IndexOf(Func<FlowEvent, bool> match, string what)
    {
        var all = All;
        for (var i = 0; i < all.Count; i++)
        {
            if (match(all[i]))
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"No event {what} among {all.Count}: {string.Join(", ", all.Select(e => e.GetType().Name))}");
    }
}
