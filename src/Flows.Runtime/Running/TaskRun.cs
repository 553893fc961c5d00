namespace Flows;

/// <summary>The record of one task run within a flow run.</summary>
/// <param name="Name">The node's name; <c>Name[i]</c> for element i of a mapped task, <c>Subflow/Name</c> inside a subflow.</param>
/// <param name="TaskId">The task method's stable identity.</param>
/// <param name="State">How it ended (or stands).</param>
/// <param name="Attempts">Attempts started, retries included.</param>
/// <param name="Start">When the first attempt started; null if none did.</param>
/// <param name="Duration">From the first attempt's start to the end of the last one.</param>
/// <param name="Exception">What the last failed attempt threw, or why it was skipped, cancelled or timed out.</param>
/// <param name="AbandonedAttempts">Attempts that timed out while their code was still running and were left to finish unobserved.</param>
public sealed record TaskRun(
    string Name,
    string TaskId,
    TaskState State,
    int Attempts,
    DateTimeOffset? Start,
    TimeSpan Duration,
    Exception? Exception,
    int AbandonedAttempts = 0)
{
    /// <summary>
    /// The full name of the type <see cref="Exception"/> stands for, the same on every executor: the
    /// type the task's code threw, even when it ran in another process (where <see cref="Exception"/>
    /// is a <see cref="RemoteTaskException"/>); null without an exception.
    /// </summary>
    public string? ExceptionType => Exception is null ? null : ExceptionNames.OriginalType(Exception);

    /// <summary>
    /// Why a <see cref="TaskState.Skipped"/> task did not run: <see cref="BranchNotTaken"/> (its
    /// <c>if</c>, <c>case</c> or <c>catch</c> branch was not taken: a normal outcome, which fails
    /// nothing) or <see cref="UpstreamDidNotSucceed"/>; null for every other state.
    /// </summary>
    public string? SkipReason { get; init; }

    /// <summary>
    /// Whether the task did not run in this run because its result was restored from the checkpoint an
    /// earlier run of the same run id left in the store (<c>ResumeAsync</c>); its state is then
    /// <see cref="TaskState.Succeeded"/>, with no attempt.
    /// </summary>
    public bool Restored { get; init; }

    /// <summary>The <see cref="SkipReason"/> of a task in a branch that was not taken.</summary>
    public const string BranchNotTaken = "branch not taken";

    /// <summary>The <see cref="SkipReason"/> of a task downstream of one that failed, was skipped or was cancelled.</summary>
    public const string UpstreamDidNotSucceed = "a task it depends on did not succeed";

    /// <summary>
    /// A failure that did not fail the run: an element of a <c>Flow.TryMap</c> (kept as its outcome),
    /// or a task whose failure a catch clause took.
    /// </summary>
    internal bool FailureKept { get; init; }
}
