namespace Flows;

/// <summary>
/// A task threw in another process (a worker, or the task whose <see cref="Outcome{T}"/> crossed to
/// one). Exceptions do not cross processes as objects (nothing but generated serializers decodes
/// bytes), so this carries the original's type name, message and the stack trace where it was thrown.
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

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName}: {RemoteType}: {Message}{Environment.NewLine}--- in the worker process ---{Environment.NewLine}{RemoteDetails}";
}
