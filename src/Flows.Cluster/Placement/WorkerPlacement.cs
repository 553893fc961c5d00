using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Flows.Cluster.Placement;

/// <summary>
/// Places a grain on the silo its key names (a silo address in parsable form). The flow process
/// decides which worker runs a task (where its input bytes are); this strategy makes Orleans honour it.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class WorkerPlacement : PlacementStrategy
{
    internal static readonly WorkerPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="WorkerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class WorkerPlacementAttribute : PlacementAttribute
{
    public WorkerPlacementAttribute()
        : base(WorkerPlacement.Instance)
    {
    }
}

/// <summary>Resolves a <see cref="WorkerPlacement"/> key to its silo, or refuses if that silo has gone.</summary>
internal sealed class WorkerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        SiloAddress wanted;
        try
        {
            wanted = SiloAddress.FromParsableString(key);
        }
        catch (FormatException)
        {
            throw new OrleansException($"'{key}' is not a Flows worker key (a silo address).");
        }

        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(wanted))
            {
                return Task.FromResult(silo);
            }
        }

        throw new OrleansException($"Flows worker {key} is no longer in the cluster (it left or died).");
    }
}
