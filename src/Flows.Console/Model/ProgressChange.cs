namespace Flows.Console.Model;

/// <summary>What an event changed that a display may want to tell at once (besides redrawing).</summary>
[Flags]
internal enum ProgressChange
{
    None = 0,

    /// <summary>A node (task, map, subflow) reached its final state.</summary>
    NodeEnded = 1,

    /// <summary>An element of a map failed, timed out or crashed with no retry left.</summary>
    ElementFailed = 2,

    /// <summary>A task run's attempt did not succeed and it will be tried again.</summary>
    Retrying = 4,

    /// <summary>The end of a map's element passed a quarter of its elements.</summary>
    Milestone = 8,

    /// <summary>Events were dropped for the first time in the run.</summary>
    FirstDrop = 16,
}
