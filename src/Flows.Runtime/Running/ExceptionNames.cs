namespace Flows;

/// <summary>
/// The name of what a task threw, the same wherever it ran: in another process the exception comes
/// back as a <see cref="RemoteTaskException"/> that carries the original type's name.
/// </summary>
internal static class ExceptionNames
{
    /// <summary>The full name of the type the task's code threw.</summary>
    public static string OriginalType(Exception error) =>
        error is RemoteTaskException remote ? remote.RemoteType : error.GetType().FullName ?? error.GetType().Name;

    /// <summary>The type's own name, without namespace or enclosing types (<c>ArgumentException</c>).</summary>
    public static string Short(string fullName) => fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];

    /// <summary>
    /// Whether the exception the task's code threw is of type <paramref name="fullTypeName"/> or
    /// derives from it (by name: a failure from another process is never turned back into its type).
    /// </summary>
    public static bool IsOfType(Exception error, string fullTypeName)
    {
        if (error is RemoteTaskException remote)
        {
            return remote.RemoteType == fullTypeName || fullTypeName == "System.Exception";
        }

        for (var type = error.GetType(); type is not null; type = type.BaseType)
        {
            if (type.FullName == fullTypeName)
            {
                return true;
            }
        }

        return false;
    }
}
