namespace Flows;

/// <summary>Where a flow run stands.</summary>
public enum FlowState : byte
{
    /// <summary>Tasks are still running.</summary>
    Running,

    /// <summary>Every task succeeded.</summary>
    Succeeded,

    /// <summary>At least one task failed or timed out.</summary>
    Failed,

    /// <summary>The run's token was cancelled.</summary>
    Cancelled,
}
