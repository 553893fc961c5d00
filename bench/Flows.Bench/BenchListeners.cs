using System.Text;
using Flows;

/// <summary>The event listeners a bench run may carry (<c>--listen</c>): what watching a run costs.</summary>
internal static class BenchListeners
{
    public static IReadOnlyList<IFlowEventListener>? For(string mode, IDictionary<string, object?> record, StringBuilder notes)
    {
        switch (mode)
        {
            case "none":
                return null;
            case "count":
                record["listen"] = mode;
                notes.Append("; events counted");
                return [new CountingListener()];
            default:
                throw new ArgumentException($"--listen {mode}: expected none or count.");
        }
    }

    /// <summary>The cheapest listener there is: the cost it shows is the run's, not the listener's.</summary>
    private sealed class CountingListener : IFlowEventListener
    {
        public long Count;

        public void OnEvent(FlowEvent flowEvent) => Count++;
    }
}
