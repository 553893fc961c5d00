using System.Diagnostics;

namespace Flows;

/// <summary>The OpenTelemetry-compatible source of Flows' spans: one per flow run, one per task attempt.</summary>
public static class FlowActivity
{
    /// <summary>The source's name, to subscribe with (<c>AddSource("Flows")</c>).</summary>
    public const string SourceName = "Flows";

    /// <summary>The source itself.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(FlowActivity).Assembly.GetName().Version?.ToString());
}
