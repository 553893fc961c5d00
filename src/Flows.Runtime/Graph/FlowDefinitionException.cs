namespace Flows;

/// <summary>A flow graph or its inputs are malformed; the message says which flow and what to change.</summary>
public sealed class FlowDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowDefinitionException(string message)
        : base(message)
    {
    }
}
