using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>Lineage recomputation: a result lost with its worker is made again by running the request that made it, before a reader that needs it is sent.</summary>
internal sealed partial class ClusterSession
{
    private async Task DispatchAfterRecomputeAsync(ClusterRequest request)
    {
        try
        {
            foreach (var input in request.Inputs)
            {
                if (input.Reference is { IsLost: true } lost)
                {
                    await RecomputeAsync(lost, request.Run).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            request.CancelRegistration.Dispose();
            Failed(request, ex);
            return;
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

    /// <summary>Makes a lost result again by running the request that made it (and, first, whatever it read that is lost too).</summary>
    private Task RecomputeAsync(RemoteResult result, ClusterRunDispatcher run)
    {
        var done = result.BeginRecompute(out var start);
        if (!start)
        {
            return done;
        }

        var lineage = result.Lineage ?? throw new InvalidOperationException($"Result {result.Id} of task '{result.Producer.Name}' has no lineage to recompute it from.");
        _logger.LogInformation("Flows cluster: recomputing the result of {Task}, lost with its worker", lineage.Name);
        result.Released = false;
        result.Owner = null;
        result.KeepUntilRunEnd = true;
        var again = new ClusterRequest(null, lineage.Task, lineage.Name, lineage.Inputs, returnResult: false, result, run);
        SendBurst.Enter();
        try
        {
            Dispatch(again);
        }
        finally
        {
            SendBurst.Exit();
        }

        return done;
    }
}
