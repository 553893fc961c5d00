namespace Flows.Cluster.Hosting;

/// <summary>
/// Holds a local cluster's worker twice on its way into the cluster, each time until the flow process
/// says so on stdin (see <see cref="ParentLink"/>):
/// <list type="number">
/// <item>before it contacts the membership (<see cref="WorkerCommand.BuiltLine"/>, then <c>join</c>): the
/// flow process's membership silo starts while the workers load, and may not listen yet;</item>
/// <item>before it writes itself into the membership table, as Joining and then Active
/// (<see cref="WorkerCommand.MembershipReadLine"/>, then <c>enter</c>).</item>
/// </list>
/// The workers do the slow part side by side (loading and compiling the silo, connecting to the
/// membership silo, reading the table) and only write one after another: every write checks the table's
/// version, and Orleans backs off for 2 s or more after each lost race, so writes at once cost seconds.
/// </summary>
internal sealed class JoinGate : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(JoinGate), ServiceLifecycleStage.RuntimeInitialize - 1, WaitToJoinAsync);

        // Orleans' membership agent writes Joining in AfterRuntimeGrainServices and Active in BecomeActive.
        lifecycle.Subscribe(nameof(JoinGate), ServiceLifecycleStage.AfterRuntimeGrainServices - 1, WaitToEnterAsync);
    }

    private static async Task WaitToJoinAsync(CancellationToken cancellationToken)
    {
        StartTrace.Mark("worker: at the join gate");
        Console.Out.WriteLine(WorkerCommand.BuiltLine);
        Console.Out.Flush();
        await ParentLink.Join.WaitAsync(cancellationToken).ConfigureAwait(false);
        StartTrace.Mark("worker: told to join");
    }

    private static async Task WaitToEnterAsync(CancellationToken cancellationToken)
    {
        StartTrace.Mark("worker: has read the membership");
        Console.Out.WriteLine(WorkerCommand.MembershipReadLine);
        Console.Out.Flush();
        await ParentLink.Enter.WaitAsync(cancellationToken).ConfigureAwait(false);
        StartTrace.Mark("worker: told to enter");
    }
}
