using System.Runtime;

namespace Flows.EndToEnd.Tests;

/// <summary>A flow that reports the garbage collector of the process its task ran in.</summary>
public static partial class RuntimeSettingsFlows
{
    [Task]
    public static string GcMode(int probe) => GCSettings.IsServerGC ? "server" : "workstation";

    [Flow]
    public static string TaskGcMode(int probe)
    {
        return GcMode(probe);
    }
}
