namespace Flows.Graph;

/// <summary>
/// What a node needs of a node it waits for. A data input always needs <see cref="Completed"/>;
/// order edges (statement order, <c>finally</c>, <c>catch</c>) say what they need.
/// </summary>
public enum FlowEdgeKind
{
    /// <summary>
    /// The upstream node completed normally: it succeeded, or it was in a branch not taken. Anything
    /// else (a failure, a skip, a cancellation) skips the waiting node, as an exception skips the
    /// rest of an eager body.
    /// </summary>
    Completed,

    /// <summary>
    /// The upstream node ran, whatever its outcome: a failure is accepted (a <c>finally</c> block
    /// runs after a failed <c>try</c>), but a node that never ran (skipped, cancelled) skips the waiting node.
    /// </summary>
    Ran,

    /// <summary>Any terminal state is accepted: the waiting node decides itself what the upstream's state means.</summary>
    Settled,
}
