namespace Flows;

/// <summary>Where a task run's result came from: its own run, the run being resumed, or the cache.</summary>
internal enum TaskOrigin : byte
{
    Ran,
    Restored,
    Cached,
}
