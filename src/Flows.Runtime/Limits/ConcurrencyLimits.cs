using Flows.Limits;

namespace Flows;

/// <summary>
/// Limits on tags shared by every run of an executor (<see cref="FlowExecutor.Limits"/>): with
/// <c>{ ["db"] = 4 }</c>, at most four task runs of tasks tagged <c>[Task(Tags = new[] { "db" })]</c> are in
/// progress at once across all the runs on that executor, on every worker. Prefect's tag-based
/// concurrency limits, enforced in this process by the scheduler; a task run that waits for a place
/// holds no thread and no worker, and starts as soon as one is given back.
/// </summary>
/// <remarks>
/// A run's own limits (<c>[Task(MaxConcurrency = n)]</c> and <see cref="FlowRunOptions.TagLimits"/>) apply
/// too: a task run starts only when it has a place in every limit that names it. A tag named here that
/// no task of a flow carries is not an error: other flows on the executor may carry it.
/// </remarks>
public sealed class ConcurrencyLimits
{
    private readonly Dictionary<string, ConcurrencySlot> _slots;

    /// <summary>Limits on the tags given: each tag's value is how many of its task runs may be in progress at once.</summary>
    /// <param name="tagLimits">Tag to limit; every limit must be 1 or more and every tag a non-blank name.</param>
    /// <exception cref="ArgumentException">A tag is blank, or a limit is 0 or less.</exception>
    public ConcurrencyLimits(IReadOnlyDictionary<string, int> tagLimits)
    {
        ArgumentNullException.ThrowIfNull(tagLimits);
        _slots = new Dictionary<string, ConcurrencySlot>(StringComparer.Ordinal);
        foreach (var (tag, limit) in tagLimits)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("ConcurrencyLimits: a tag is null, empty or white space; name the tag as the tasks' [Task(Tags = ...)] do.", nameof(tagLimits));
            }

            if (limit < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(tagLimits), limit, $"ConcurrencyLimits: the limit of tag '{tag}' is {limit}, but a limit must be 1 or more (0 would never run its tasks); remove the entry for no limit.");
            }

            _slots[tag] = new ConcurrencySlot($"tag '{tag}' (executor)", limit);
        }

        TagLimits = _slots.ToDictionary(p => p.Key, p => p.Value.Capacity, StringComparer.Ordinal).AsReadOnly();
    }

    /// <summary>The tags and their limits.</summary>
    public IReadOnlyDictionary<string, int> TagLimits { get; }

    /// <summary>How many task runs of tasks tagged <paramref name="tag"/> are in progress now (0 for a tag not limited here).</summary>
    public int InUse(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return _slots.TryGetValue(tag, out var slot) ? Gate.InUseOf(slot) : 0;
    }

    /// <summary>The lock every run on the executor takes and gives back places under.</summary>
    internal ConcurrencyGate Gate { get; } = new();

    internal ConcurrencySlot? SlotOf(string tag) => _slots.GetValueOrDefault(tag);
}
