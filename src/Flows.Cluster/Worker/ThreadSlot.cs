namespace Flows.Cluster.Worker;

/// <summary>One of a <see cref="TaskRunner"/>'s threads: the work it runs, and whether it was abandoned to it.</summary>
internal sealed class ThreadSlot
{
    public RequestWork? Current;

    public bool Abandoned;
}
