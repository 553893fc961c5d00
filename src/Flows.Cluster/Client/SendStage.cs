namespace Flows.Cluster.Client;

/// <summary>The call of a send that failed: making the task assembly ready on the worker, or handing it the batch.</summary>
internal enum SendStage
{
    Prepare,
    Submit,
}
