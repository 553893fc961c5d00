namespace Flows.Hosting.Tests;

/// <summary>An executor of the application's own, as <c>UseExecutor</c> takes one: runs inline and counts its disposals.</summary>
public sealed class CountingExecutor : FlowExecutor
{
    private int _disposals;

    public int Disposals => Volatile.Read(ref _disposals);

    public override string Name => "counting";

    public override int MaxParallelism => 1;

    protected override WorkDispatcher BeginRun() => new Inline();

    protected override void Dispose(bool disposing) => Interlocked.Increment(ref _disposals);

    private sealed class Inline : WorkDispatcher
    {
        public override void Submit(TaskAttempt attempt) => attempt.Execute();
    }
}
