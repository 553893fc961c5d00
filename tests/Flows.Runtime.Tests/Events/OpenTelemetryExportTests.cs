using System.Diagnostics;
using Flows.Graph;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using C = Flows.Runtime.Tests.ConformanceTasks;

namespace Flows.Runtime.Tests;

/// <summary>The meter and the spans as a user sees them through OpenTelemetry's own SDK and its in-memory exporter.</summary>
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task The_meter_and_the_spans_export_through_OpenTelemetry_with_low_cardinality_tags()
    {
        var name = "exported-" + Guid.NewGuid().ToString("N");
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(FlowMetrics.MeterName).AddInMemoryExporter(metrics).Build())
        using (var tracer = Sdk.CreateTracerProviderBuilder().AddSource(FlowActivity.SourceName).AddInMemoryExporter(spans).Build())
        {
            var g = new TestGraph(name, "xs");
            var mapped = g.Map(C.Picky, MapAdapter<int, int>.Instance, g.P(0));
            var run = await FlowRunner.RunAsync<int>(g.Build(g.Task(C.Sum, mapped)), new ThreadExecutor(numWorkers: 2), [new[] { 1, 2, 3, 4 }]).WaitAsync(Scratch.Patience);
            Assert.Equal(FlowState.Failed, run.State);
            meters.ForceFlush();
            tracer.ForceFlush();
        }

        var points = new List<(string Metric, long Value, Dictionary<string, object?> Tags)>();
        // Cumulative sums, exported at the flush and again at the end: the last export holds the totals.
        foreach (var metric in metrics.Where(m => m.Name == "flows.task.runs").TakeLast(1))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                if ((string?)tags.GetValueOrDefault("flows.flow") == name)
                {
                    points.Add((metric.Name, point.GetSumLong(), tags));
                }
            }
        }

        // One series per node and state, never one per element.
        Assert.Equal(3, points.Single(p => (string?)p.Tags["flows.task"] == "Picky" && (string?)p.Tags["flows.state"] == "Succeeded").Value);
        Assert.Equal(1, points.Single(p => (string?)p.Tags["flows.task"] == "Picky" && (string?)p.Tags["flows.state"] == "Failed").Value);
        Assert.Equal(1, points.Single(p => (string?)p.Tags["flows.task"] == "Sum" && (string?)p.Tags["flows.state"] == "Skipped").Value);

        var failed = spans.Single(s => (string?)s.GetTagItem("flows.flow") == name && (string?)s.GetTagItem("flows.task") == "Picky[2]");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(ArgumentException).FullName, failed.GetTagItem("error.type"));
        Assert.Equal("Picky", failed.GetTagItem("flows.node"));
        Assert.Equal(2, failed.GetTagItem("flows.element"));
        Assert.Equal("threads", failed.GetTagItem("flows.executor"));
        Assert.Contains(failed.Events, e => e.Name == "exception");
        var flowSpan = spans.Single(s => s.DisplayName == "flow " + name);
        Assert.Equal(failed.TraceId, flowSpan.TraceId);
        Assert.False(string.IsNullOrEmpty((string?)flowSpan.GetTagItem("flows.run_id")));
    }
}
