namespace Flows;

/// <summary>
/// Bytes that a generated serializer could not read (truncated, corrupted, of another wire version,
/// or past a safety limit), or a value it could not write. The message says which type, where in the
/// payload, and what to do.
/// </summary>
public sealed class FlowSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowSerializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public FlowSerializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
