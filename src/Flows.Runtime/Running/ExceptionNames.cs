namespace Flows;

/// <summary>
/// The name of what a task threw, the same wherever it ran: in another process the exception comes
/// back as a <see cref="RemoteTaskException"/> that carries the original type's name and the names
/// of its base types. Every decision about a failure's type (<c>RetryOn</c>, <c>catch</c> in a flow
/// body) goes through <see cref="IsOfType"/>, by name, so that no remote type is ever loaded.
/// </summary>
internal static class ExceptionNames
{
    private const string ExceptionFullName = "System.Exception";

    /// <summary>The full name of the type the task's code threw.</summary>
    public static string OriginalType(Exception error) =>
        error is RemoteTaskException remote ? remote.RemoteType : NameOf(error.GetType());

    /// <summary>The type's own name, without namespace or enclosing types (<c>ArgumentException</c>).</summary>
    public static string Short(string fullName) => fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];

    /// <summary>
    /// The full names of the type the task's code threw and of its base types, from that type up to
    /// <c>System.Exception</c>: the chain a worker sends (<see cref="Workers.FailureRecord"/>) and
    /// <see cref="RemoteTaskException.RemoteTypeChain"/> carries. A generic type is named by its
    /// definition (<c>Ns.Failure`1</c>), since a constructed type's name holds assembly versions.
    /// </summary>
    public static IReadOnlyList<string> TypeChain(Exception error)
    {
        if (error is RemoteTaskException remote)
        {
            return remote.RemoteTypeChain;
        }

        var chain = new List<string>(4);
        for (var type = error.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            chain.Add(NameOf(type));
        }

        return chain;
    }

    /// <summary>
    /// Whether the task's original exception is of type <paramref name="fullTypeName"/> or derives
    /// from it: a local exception by its own type chain, a <see cref="RemoteTaskException"/> by the
    /// chain the worker sent. <c>System.Exception</c> matches every failure. Names are compared
    /// ordinally; a generic type is named by its definition (<c>Ns.Failure`1</c>).
    /// </summary>
    internal static bool IsOfType(Exception error, string fullTypeName)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(fullTypeName);
        if (string.Equals(fullTypeName, ExceptionFullName, StringComparison.Ordinal))
        {
            return true;
        }

        if (error is RemoteTaskException remote)
        {
            foreach (var name in remote.RemoteTypeChain)
            {
                if (string.Equals(name, fullTypeName, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        for (var type = error.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            if (string.Equals(NameOf(type), fullTypeName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="error"/> is of one of <paramref name="fullTypeNames"/> (see <see cref="IsOfType"/>).</summary>
    internal static bool IsOfAny(Exception error, IReadOnlyList<string> fullTypeNames)
    {
        for (var i = 0; i < fullTypeNames.Count; i++)
        {
            if (IsOfType(error, fullTypeNames[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string NameOf(Type type)
    {
        var named = type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
        return named.FullName ?? named.Name;
    }
}
