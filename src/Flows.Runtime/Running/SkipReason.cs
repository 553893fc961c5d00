namespace Flows;

/// <summary>Why a node ended <see cref="TaskState.Skipped"/>.</summary>
internal enum SkipReason : byte
{
    /// <summary>Not skipped.</summary>
    None,

    /// <summary>A node it reads or waits for did not complete normally (a failure upstream, as an exception skips the rest of an eager body).</summary>
    Upstream,

    /// <summary>Its branch was not taken (an <c>if</c>, a <c>case</c>, a <c>catch</c> with nothing to catch). This is a normal completion: what comes after the branch runs.</summary>
    BranchNotTaken,
}
