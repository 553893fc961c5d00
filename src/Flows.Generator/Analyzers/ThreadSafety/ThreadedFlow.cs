using System.Collections.Generic;
using System.Collections.Immutable;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>A flow the analyzers believe runs on threads, and why.</summary>
/// <param name="Site">The flow.</param>
/// <param name="Why">The evidence, for messages: "the flow declares RunsOn = Threads", "it is run with a ThreadExecutor at Program.cs(12)".</param>
/// <param name="Evidence">The <c>RunAsync</c> calls (or the parent flow's declaration) that are the evidence, as additional locations.</param>
/// <param name="SharedValues">The values that reach two nodes which can run at the same time.</param>
internal sealed record ThreadedFlow(FlowSite Site, string Why, ImmutableArray<Microsoft.CodeAnalysis.Location> Evidence, IReadOnlyList<SharedValue> SharedValues);
