namespace Flows.EndToEnd.Tests;

/// <summary>
/// An executor for one test: a new one where it is cheap (disposed with the lease), the class's shared worker
/// processes or local cluster where starting them costs more than a test (<see cref="WorkerPoolFixture.Lease"/>).
/// </summary>
public sealed record ExecutorLease(FlowExecutor Executor, bool Owned) : IDisposable
{
    public void Dispose()
    {
        if (Owned)
        {
            Executor.Dispose();
        }
    }
}
