using System.ComponentModel;

namespace Flows.Graph;

/// <summary>One parameter of a flow method, as a <see cref="FlowCatalogEntry"/> lists it.</summary>
public sealed class FlowParameter
{
    /// <summary>Describes a parameter.</summary>
    /// <param name="name">The name in the flow's signature.</param>
    /// <param name="type">Its type.</param>
    /// <param name="typeName">Its type as the signature writes it (<c>string[]</c>, <c>int?</c>, <c>Summary</c>).</param>
    /// <param name="isBound">Whether the runtime supplies it (a <see cref="CancellationToken"/>) rather than the caller.</param>
    /// <param name="allowsNull">Whether null is a valid argument: a nullable value type, or a reference type the signature does not declare non-nullable.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowParameter(string name, Type type, string typeName, bool isBound, bool allowsNull)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        Name = name;
        Type = type;
        TypeName = typeName;
        IsBound = isBound;
        AllowsNull = allowsNull;
    }

    /// <summary>The name in the flow's signature.</summary>
    public string Name { get; }

    /// <summary>The parameter's type.</summary>
    public Type Type { get; }

    /// <summary>The type as the flow's signature writes it, for display: <c>string[]</c>, <c>int?</c>, <c>Summary</c>.</summary>
    public string TypeName { get; }

    /// <summary>
    /// Whether the runtime supplies the value (the run's <see cref="CancellationToken"/>): such a parameter is not
    /// a graph input and takes no argument in <see cref="FlowCatalogEntry.RunAsync"/>.
    /// </summary>
    public bool IsBound { get; }

    /// <summary>Whether null is a valid argument: a nullable value type, or a reference type not declared non-nullable.</summary>
    public bool AllowsNull { get; }

    /// <inheritdoc />
    public override string ToString() => $"{TypeName} {Name}";
}
