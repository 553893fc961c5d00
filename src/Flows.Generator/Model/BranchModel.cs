namespace Flows.Generator.Model;

/// <summary>What a branch tests; mirrors the runtime's <c>FlowBranchTest</c>.</summary>
internal enum BranchTest
{
    /// <summary>The condition is one of the values.</summary>
    Equals,

    /// <summary>The condition is none of the values (a switch's default).</summary>
    EqualsNone,

    /// <summary>A catch clause took the try's failure.</summary>
    Caught,

    /// <summary>The try completed without a failure.</summary>
    NothingCaught,
}

/// <summary>One branch of a flow body.</summary>
/// <param name="Parent">The enclosing branch, or -1.</param>
/// <param name="ConditionSlot">The slot the test reads.</param>
/// <param name="Test">What it tests.</param>
/// <param name="Values">For Equals and EqualsNone: the values, as C# expressions of the condition's type.</param>
/// <param name="Clause">For Caught: the catch clause's index.</param>
internal sealed record BranchModel(int Parent, int ConditionSlot, BranchTest Test, EquatableArray<string> Values, int Clause);
