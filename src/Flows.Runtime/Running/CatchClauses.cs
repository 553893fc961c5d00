namespace Flows;

/// <summary>Which catch clause of a flow body's <c>try</c> takes a task's failure.</summary>
internal static class CatchClauses
{
    /// <summary>
    /// The index of the first clause whose type the failure is of (by full type name, also for a
    /// failure that crossed a process boundary), or -1. A subflow's failure is matched by the
    /// failure inside it, as the eager call of the subflow throws that one.
    /// </summary>
    public static int Match(string[] catchTypes, Exception error)
    {
        while (error is FlowFailedException { InnerException: { } inner })
        {
            error = inner;
        }

        for (var i = 0; i < catchTypes.Length; i++)
        {
            if (ExceptionNames.IsOfType(error, catchTypes[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
