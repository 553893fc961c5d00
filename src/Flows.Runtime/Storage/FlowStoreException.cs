namespace Flows;

/// <summary>
/// A store could not be opened, read or written, or refused what it was asked (a resume of a run it
/// does not have, of another graph, or of a run already running). The message names the store's
/// folder, the run and what to do.
/// </summary>
public sealed class FlowStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="storePath">The store's folder.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause (a SQLite or I/O error), if any.</param>
    public FlowStoreException(string storePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StorePath = storePath;
    }

    /// <summary>The store's folder.</summary>
    public string StorePath { get; }
}
