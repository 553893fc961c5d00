using System.ComponentModel;

namespace Flows.Graph;

/// <summary>What a <see cref="FlowBranch"/> tests its condition slot for.</summary>
public enum FlowBranchTest
{
    /// <summary>The slot holds one of the branch's values (<c>if (ok)</c>: <c>true</c>; a <c>case</c>: its labels).</summary>
    Equals,

    /// <summary>The slot holds none of the branch's values (a <c>switch</c>'s <c>default</c>).</summary>
    EqualsNone,

    /// <summary>The <c>try</c> whose end node writes the slot failed and catch clause <see cref="FlowBranch.Clause"/> took the failure.</summary>
    Caught,

    /// <summary>The <c>try</c> whose end node writes the slot completed without a failure.</summary>
    NothingCaught,
}

/// <summary>
/// A branch of a flow body: the condition under which the nodes in it run. Nested branches name
/// their parent; a node runs only when its branch and every branch around it hold, and ends
/// <see cref="TaskState.Skipped"/> (branch not taken) otherwise.
/// </summary>
public sealed class FlowBranch
{
    private readonly object?[] _values;

    private FlowBranch(int parent, int conditionSlot, FlowBranchTest test, object?[] values, int clause)
    {
        if (parent < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(parent), parent, "A branch's parent is -1 (none) or the index of an earlier branch.");
        }

        Parent = parent;
        ConditionSlot = conditionSlot;
        Test = test;
        _values = values;
        Clause = clause;
    }

    /// <summary>The enclosing branch's index in the graph, or -1 at the top of the body.</summary>
    public int Parent { get; }

    /// <summary>The slot the condition reads: a flow parameter, or a node's result.</summary>
    public int ConditionSlot { get; }

    /// <summary>What the branch tests.</summary>
    public FlowBranchTest Test { get; }

    /// <summary>For Equals and EqualsNone: the values compared with the slot.</summary>
    public IReadOnlyList<object?> Values => _values;

    /// <summary>For Caught: the index of the catch clause that takes the failure.</summary>
    public int Clause { get; }

    /// <summary>A branch taken when the slot holds one of <paramref name="values"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowBranch When(int parent, int conditionSlot, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new FlowBranch(parent, conditionSlot, FlowBranchTest.Equals, (object?[])values.Clone(), -1);
    }

    /// <summary>A branch taken when the slot holds none of <paramref name="values"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowBranch WhenNone(int parent, int conditionSlot, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new FlowBranch(parent, conditionSlot, FlowBranchTest.EqualsNone, (object?[])values.Clone(), -1);
    }

    /// <summary>A catch block: taken when the <c>try</c> ended by <paramref name="tryEndSlot"/>'s node failed and clause <paramref name="clause"/> matched.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowBranch Caught(int parent, int tryEndSlot, int clause)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clause);
        return new FlowBranch(parent, tryEndSlot, FlowBranchTest.Caught, Array.Empty<object?>(), clause);
    }

    /// <summary>The path through a <c>try</c> that did not fail (what a <c>try</c> block's values mean after it).</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowBranch NothingCaught(int parent, int tryEndSlot) =>
        new(parent, tryEndSlot, FlowBranchTest.NothingCaught, Array.Empty<object?>(), -1);

    /// <summary>Whether the branch's own test holds for the condition's value (the parent is not looked at).</summary>
    internal bool Holds(object? condition)
    {
        switch (Test)
        {
            case FlowBranchTest.Equals:
                return Contains(condition);
            case FlowBranchTest.EqualsNone:
                return !Contains(condition);
            case FlowBranchTest.Caught:
                return condition is CaughtFailure caught && caught.Clause == Clause;
            default:
                return condition is null;
        }
    }

    private bool Contains(object? condition)
    {
        foreach (var value in _values)
        {
            // Boxed values of the condition's own type (C# converts every label to it); strings
            // compare ordinally, as a C# switch does.
            if (Equals(value, condition))
            {
                return true;
            }
        }

        return false;
    }
}
