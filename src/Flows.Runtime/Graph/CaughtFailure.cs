namespace Flows.Graph;

/// <summary>
/// What a <c>try</c>'s end node holds when one of its catch clauses took a failure: the failure
/// and the clause. A try that completed without one holds null.
/// </summary>
internal sealed record CaughtFailure(Exception Error, int Clause);
