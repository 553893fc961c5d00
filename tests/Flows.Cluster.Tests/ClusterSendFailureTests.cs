using Flows.Cluster.Client;
using Flows.Graph;

namespace Flows.Cluster.Tests;

/// <summary>
/// A batch that cannot be prepared or submitted on a live worker ends its tasks with the cause
/// instead of leaving them in flight forever. The failure is forced with the session's test hook.
/// </summary>
public sealed class ClusterSendFailureTests
{
    [Theory]
    [InlineData("Prepare", "preparing its task assembly")]
    [InlineData("Submit", "submitting it to")]
    public async Task A_batch_that_cannot_be_sent_to_a_live_worker_fails_its_tasks_with_the_cause(string stageName, string what)
    {
        var stage = Enum.Parse<SendStage>(stageName);
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var session = await executor.SessionAsync;
        session.SendFault = (_, s) =>
        {
            if (s == stage)
            {
                throw new FileNotFoundException("forced by the test: the task assembly is gone");
            }
        };

        var g = new TestGraph("send-fails");
        var run = await FlowRunner.RunAsync<int>(g.Build(g.Task(Tasks.Add, g.Constant(2), g.Constant(3))), executor, []).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(FlowState.Failed, run.State);
        var error = Assert.IsType<WorkerRefusedException>(Assert.Single(run.Tasks).Exception);
        Assert.Contains("send-fails", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains("forced by the test", error.Message, StringComparison.Ordinal);

        // The worker is fine: once sends work again, so do runs.
        session.SendFault = null;
        var again = await FlowRunner.RunAsync<int>(g.Build(g.Task(Tasks.Add, g.Constant(2), g.Constant(3))), executor, []).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(5, again.Result);
    }
}
