using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    /// <summary>
    /// What the parser knows at one point of one path through the body: the value each local holds,
    /// the branch the path is in, what later steps must wait for (statement order), and whether the
    /// path has returned. Branches parse a copy each and are joined after the statement.
    /// </summary>
    private sealed class BodyPath
    {
        /// <summary>Locals declared so far in scope, assigned or not.</summary>
        public HashSet<ILocalSymbol> Declared { get; private set; } = new(SymbolEqualityComparer.Default);

        /// <summary>Where each assigned local's value lives on this path.</summary>
        public Dictionary<ILocalSymbol, SlotRef> Locals { get; private set; } = new(SymbolEqualityComparer.Default);

        /// <summary>Locals the graph cannot know the value of here, with the reason (assigned in a try, then read in its catch).</summary>
        public Dictionary<ILocalSymbol, string> Unreadable { get; private set; } = new(SymbolEqualityComparer.Default);

        /// <summary>The branch the path is in, or -1.</summary>
        public int Branch { get; set; } = -1;

        /// <summary>The nodes every later step waits for: the last side effect, or the statement that held one.</summary>
        public List<int> Barrier { get; set; } = new();

        /// <summary>The nodes made since the barrier: the next side effect waits for them too.</summary>
        public List<int> SinceBarrier { get; set; } = new();

        /// <summary>Nodes known to wait for the whole barrier; a step that reads one needs no edge of its own.</summary>
        public HashSet<int> Covered { get; set; } = new();

        /// <summary>The path returned: nothing after it on this path runs.</summary>
        public bool Returned { get; set; }

        public BodyPath Clone() => new()
        {
            Declared = new HashSet<ILocalSymbol>(Declared, SymbolEqualityComparer.Default),
            Locals = new Dictionary<ILocalSymbol, SlotRef>(Locals, SymbolEqualityComparer.Default),
            Unreadable = new Dictionary<ILocalSymbol, string>(Unreadable, SymbolEqualityComparer.Default),
            Branch = Branch,
            Barrier = new List<int>(Barrier),
            SinceBarrier = new List<int>(SinceBarrier),
            Covered = new HashSet<int>(Covered),
            Returned = Returned,
        };

        /// <summary>A copy that starts a branch: the same values, in <paramref name="branch"/>.</summary>
        public BodyPath Enter(int branch)
        {
            var path = Clone();
            path.Branch = branch;
            return path;
        }

        /// <summary>A copy whose every later step waits for <paramref name="node"/> (a catch or finally block's entry).</summary>
        public BodyPath After(int node, int branch)
        {
            var path = Enter(branch);
            path.Barrier = new List<int> { node };
            path.SinceBarrier = new List<int>();
            path.Covered = new HashSet<int>();
            return path;
        }

        /// <summary>Whether the barrier is the one <paramref name="other"/> had: no side effect happened in between.</summary>
        public bool SameBarrierAs(BodyPath other) => Barrier.SequenceEqual(other.Barrier);
    }

    /// <summary>One path through a compound statement (an arm of an if or switch, a try block, a catch clause) as it ends.</summary>
    /// <param name="Path">The path's state at the end of the arm.</param>
    /// <param name="ArmBranch">The branch the arm started in.</param>
    /// <param name="ValueBranch">The branch under which the arm's values are the ones to take (the arm's end branch).</param>
    private sealed record Arm(BodyPath Path, int ArmBranch, int ValueBranch);

    /// <summary>A try block being parsed: the nodes made inside it, and those whose failure its catch clauses judge.</summary>
    private sealed class TryContext
    {
        public TryContext(bool hasCatch) => HasCatch = hasCatch;

        public bool HasCatch { get; }

        public List<int> Members { get; } = new();

        public List<int> Scoped { get; } = new();
    }

    /// <summary>A return on some path: the branch it is in and the slot of its value (none for a flow that returns nothing).</summary>
    private sealed record PendingReturn(int Branch, SlotRef? Slot);

    /// <summary>A branch whose condition slot is resolved once slot numbers are known.</summary>
    private sealed record PendingBranch(int Parent, SlotRef Condition, Model.BranchTest Test, List<string> Values, int Clause);
}
