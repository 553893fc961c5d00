namespace Flows;

/// <summary>
/// A task threw in another process (a worker, or the task whose <see cref="Outcome{T}"/> crossed to
/// one). Exceptions do not cross processes as objects (nothing but generated serializers decodes
/// bytes), so this carries the original's type name, the names of its base types (when the worker
/// sent them), its message and the stack trace where it was thrown.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception, knowing only the original type's name (its base types unknown).</summary>
    public RemoteTaskException(string remoteType, string message, string remoteDetails)
        : this(remoteType, message, remoteDetails, new[] { remoteType ?? throw new ArgumentNullException(nameof(remoteType)) })
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="remoteType">The full name of the exception type thrown in the worker.</param>
    /// <param name="message">Its message.</param>
    /// <param name="remoteDetails">The worker's <c>ToString()</c> of it.</param>
    /// <param name="remoteTypeChain">
    /// The full names of that type and of its base types, most derived first, up to <c>System.Exception</c>;
    /// its first entry is <paramref name="remoteType"/>.
    /// </param>
    public RemoteTaskException(string remoteType, string message, string remoteDetails, IReadOnlyList<string> remoteTypeChain)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(remoteType);
        ArgumentNullException.ThrowIfNull(remoteDetails);
        ArgumentNullException.ThrowIfNull(remoteTypeChain);
        if (remoteTypeChain.Count == 0 || !string.Equals(remoteTypeChain[0], remoteType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The type chain must start with the remote type '{remoteType}'.", nameof(remoteTypeChain));
        }

        var chain = new string[remoteTypeChain.Count];
        for (var i = 0; i < chain.Length; i++)
        {
            chain[i] = remoteTypeChain[i] ?? throw new ArgumentException($"Entry {i} of the type chain is null.", nameof(remoteTypeChain));
        }

        RemoteType = remoteType;
        RemoteDetails = remoteDetails;
        RemoteTypeChain = Array.AsReadOnly(chain);
    }

    /// <summary>The full name of the exception type thrown in the worker.</summary>
    public string RemoteType { get; }

    /// <summary>
    /// The full names of the type thrown in the worker and of its base types, most derived first, up to
    /// <c>System.Exception</c> (a generic type by its definition's name, <c>Ns.Failure`1</c>): what
    /// <c>[Task(RetryOn = ...)]</c> matches, by name, without loading any of these types here.
    /// </summary>
    public IReadOnlyList<string> RemoteTypeChain { get; }

    /// <summary>The worker's <c>ToString()</c> of the exception: type, message and stack trace.</summary>
    public string RemoteDetails { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName}: {RemoteType}: {Message}{Environment.NewLine}--- in the worker process ---{Environment.NewLine}{RemoteDetails}";
}
