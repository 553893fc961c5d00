using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    /// <summary>
    /// Joins the arms of a compound statement into one path again: where the path goes on (the
    /// branch around the statement, or the one arm that did not return), the value of each local
    /// (a merge node where the arms disagree), and what later steps wait for (a join node when an
    /// arm had a side effect, or always for a try statement).
    /// </summary>
    /// <param name="entry">The path as the statement began.</param>
    /// <param name="firstNode">The first node the statement made.</param>
    /// <param name="arms">Every arm, in order.</param>
    /// <param name="at">The statement, for diagnostics.</param>
    /// <param name="endMembers">For a try statement: what its end waits for; null to wait, if needed, for every node the statement made.</param>
    private void JoinArms(BodyPath entry, int firstNode, List<Arm> arms, SyntaxNode at, List<int>? endMembers = null)
    {
        var going = arms.Where(a => !a.Path.Returned).ToList();
        var path = entry.Clone();
        _path = path;
        if (going.Count == 0)
        {
            path.Returned = true;
            return;
        }

        if (going.Count == 1)
        {
            path.Branch = going[0].ValueBranch;
        }
        else if (going.Count != arms.Count || going.Any(a => a.Path.Branch != a.ArmBranch))
        {
            path.Branch = GoesOn(entry, going);
        }

        MergeLocals(entry, going, path);

        var sideEffects = going.Any(a => !a.Path.SameBarrierAs(entry));
        if (endMembers is null && !sideEffects)
        {
            path.SinceBarrier = entry.SinceBarrier.Concat(going.SelectMany(a => a.Path.SinceBarrier)).Distinct().ToList();
            path.Covered = new HashSet<int>(entry.Covered.Concat(going.SelectMany(a => a.Path.Covered)));
            return;
        }

        var members = endMembers ?? Enumerable.Range(firstNode, _nodes.Count - firstNode).Concat(entry.SinceBarrier).ToList();
        var end = RegisterControl(new NodeModel(NodeKind.Join, UniqueNodeName("<end>"), -1, null, null, null, null, false, default)
        {
            After = members.Distinct().Select(n => new OrderEdgeModel(n, EdgeKind.Completed)).ToEquatableArray(),
        });
        path.Barrier = new List<int> { end };
        path.SinceBarrier = new List<int>();
        path.Covered = new HashSet<int> { end };
    }

    /// <summary>
    /// A branch that holds exactly when one of the arms that go on ran, when no single branch
    /// says it (an arm returned inside a nested branch): a merge of true under each such arm's
    /// branch, false otherwise, tested for true.
    /// </summary>
    private int GoesOn(BodyPath entry, List<Arm> going)
    {
        var yes = AddConstant("true");
        var no = AddConstant("false");
        var goesOn = RegisterControl(
            new NodeModel(NodeKind.Merge, UniqueNodeName("<goes on>"), -1, null, null, null, null, false, default)
            {
                MergeBranches = going.Select(a => a.ValueBranch).Concat(new[] { -1 }).ToEquatableArray(),
            },
            going.Select(_ => yes).Concat(new[] { no }).ToList());
        return AddBranch(entry.Branch, new SlotRef(SlotKind.Node, goesOn), BranchTest.Equals, new List<string> { "true" });
    }

    private void MergeLocals(BodyPath entry, List<Arm> going, BodyPath path)
    {
        foreach (var local in entry.Declared.OrderBy(l => l.Name, System.StringComparer.Ordinal).ThenBy(l => l.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
        {
            var unreadable = going.Select(a => a.Path.Unreadable.TryGetValue(local, out var reason) ? reason : null).FirstOrDefault(r => r is not null);
            if (unreadable is not null)
            {
                path.Unreadable[local] = unreadable;
                path.Locals.Remove(local);
                continue;
            }

            path.Unreadable.Remove(local);
            var slots = going.Select(a => a.Path.Locals.TryGetValue(local, out var slot) ? slot : (SlotRef?)null).ToList();
            if (slots.Any(s => s is null))
            {
                // Not assigned on every path: C#'s definite assignment refuses a later read.
                path.Locals.Remove(local);
                continue;
            }

            if (slots.Distinct().Count() == 1)
            {
                path.Locals[local] = slots[0]!.Value;
                continue;
            }

            var merge = RegisterControl(
                new NodeModel(NodeKind.Merge, UniqueNodeName("<" + local.Name + ">"), -1, null, null, null, null, false, default)
                {
                    MergeBranches = going.Select(a => a.ValueBranch).ToEquatableArray(),
                },
                slots.Select(s => s!.Value).ToList());
            path.Locals[local] = new SlotRef(SlotKind.Node, merge);
        }
    }
}
