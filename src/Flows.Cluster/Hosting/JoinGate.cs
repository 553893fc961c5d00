namespace Flows.Cluster.Hosting;

/// <summary>
/// Holds a local cluster's worker just before it contacts the membership, until the flow process
/// says <c>join</c> (see <see cref="ParentLink"/>). The workers start side by side, doing the slow part
/// (loading and compiling the silo) at once, and join one after another: joins at once contend for
/// the membership table, and Orleans backs off for seconds after each lost race.
/// </summary>
internal sealed class JoinGate : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JoinGate), ServiceLifecycleStage.RuntimeInitialize - 1, WaitAsync);

    private static async Task WaitAsync(CancellationToken cancellationToken)
    {
        StartTrace.Mark("worker: at the join gate");
        Console.Out.WriteLine(WorkerCommand.BuiltLine);
        Console.Out.Flush();
        await ParentLink.Join.WaitAsync(cancellationToken).ConfigureAwait(false);
        StartTrace.Mark("worker: told to join");
    }
}
