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

    private static Task WaitToJoinAsync(CancellationToken cancellationToken) =>
        WaitAtGateAsync("worker: at the join gate", "worker: told to join", WorkerCommand.BuiltLine, ParentLink.Join, cancellationToken);

    private static Task WaitToEnterAsync(CancellationToken cancellationToken) =>
        WaitAtGateAsync("worker: has read the membership", "worker: told to enter", WorkerCommand.MembershipReadLine, ParentLink.Enter, cancellationToken);

    /// <summary>Tells the parent (a line on stdout) that this worker is at a gate, and waits until the parent opens it.</summary>
    private static async Task WaitAtGateAsync(string reached, string opened, string line, Task gate, CancellationToken cancellationToken)
    {
        StartTrace.Mark(reached);
        Console.Out.WriteLine(line);
        Console.Out.Flush();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        StartTrace.Mark(opened);
    }
}
