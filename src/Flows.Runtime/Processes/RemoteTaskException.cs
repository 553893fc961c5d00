namespace Flows;

/// <summary>
/// A task threw in a worker process. Exceptions do not cross processes as objects (nothing but
/// generated serializers decodes bytes), so this carries the original's type name, message and
/// the worker's stack trace.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteTaskException(string remoteType, string message, string remoteDetails)
        : base(message)
    {
        RemoteType = remoteType;
        RemoteDetails = remoteDetails;
    }

    /// <summary>The full name of the exception type thrown in the worker.</summary>
    public string RemoteType { get; }

    /// <summary>The worker's <c>ToString()</c> of the exception: type, message and stack trace.</summary>
    public string RemoteDetails { get; }

    /// <summary>
    /// What an attempt reports for a failure a worker (process or cluster) sent back, the one decoding
    /// both use: a cancellation stays a cancellation (so that a timeout or a cancelled run is recorded
    /// as such), anything else carries the original type's name, message and stack.
    /// </summary>
    internal static Exception Decode(string remoteType, string message, string remoteDetails) =>
        remoteType == typeof(OperationCanceledException).FullName || remoteType == typeof(TaskCanceledException).FullName
            ? new OperationCanceledException(message)
            : new RemoteTaskException(remoteType, message, remoteDetails);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName}: {RemoteType}: {Message}{Environment.NewLine}--- in the worker process ---{Environment.NewLine}{RemoteDetails}";
}
