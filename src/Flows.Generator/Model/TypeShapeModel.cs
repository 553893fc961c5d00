namespace Flows.Generator.Model;

/// <summary>How a type is written on the wire; each kind has its own emitted code.</summary>
internal enum ShapeKind
{
    /// <summary>A primitive the reader and writer handle directly (numbers, string, decimal, dates, Guid).</summary>
    Primitive,

    /// <summary>An enum, written as its underlying primitive.</summary>
    Enum,

    /// <summary><c>Nullable&lt;T&gt;</c>.</summary>
    Nullable,

    /// <summary>An array of an unmanaged primitive, copied as one block.</summary>
    UnmanagedArray,

    /// <summary>Any other single-dimension array.</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c>.</summary>
    List,

    /// <summary><c>HashSet&lt;T&gt;</c>.</summary>
    HashSet,

    /// <summary><c>Dictionary&lt;K, V&gt;</c>.</summary>
    Dictionary,

    /// <summary>A sequence interface (<c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>...), read back as an array.</summary>
    SequenceInterface,

    /// <summary>A dictionary interface (<c>IReadOnlyDictionary&lt;K, V&gt;</c>, <c>IDictionary&lt;K, V&gt;</c>), read back as a Dictionary.</summary>
    DictionaryInterface,

    /// <summary><c>ImmutableArray&lt;T&gt;</c>.</summary>
    ImmutableArray,

    /// <summary><c>ImmutableList&lt;T&gt;</c>.</summary>
    ImmutableList,

    /// <summary><c>ImmutableHashSet&lt;T&gt;</c>.</summary>
    ImmutableHashSet,

    /// <summary><c>ImmutableDictionary&lt;K, V&gt;</c>.</summary>
    ImmutableDictionary,

    /// <summary><c>ValueTuple</c> of 1 to 7 items.</summary>
    ValueTuple,

    /// <summary><c>System.Tuple</c> of 1 to 7 items.</summary>
    Tuple,

    /// <summary>A class, record or struct read through a constructor and settable members.</summary>
    Object,

    /// <summary><c>Flows.Outcome&lt;T&gt;</c>: its state, then its value or its failure (never an exception object).</summary>
    Outcome,
}

/// <summary>
/// How one serializable type is written and read: enough for the emitter, and nothing tied to a
/// compilation. Shapes refer to each other by <see cref="Key"/>, so recursive types are finite.
/// </summary>
/// <param name="Key">A stable identifier, unique per type: names the generated methods.</param>
/// <param name="TypeName">The type, a <c>global::</c> name without nullable reference annotations.</param>
/// <param name="DisplayName">The type as a user reads it, for error messages.</param>
/// <param name="Kind">How it is written.</param>
/// <param name="IsReferenceType">Whether null is a possible value (a presence byte or null length).</param>
/// <param name="Primitive">For primitives and enums: the reader/writer method suffix (<c>Int32</c>); for unmanaged arrays: the element type.</param>
/// <param name="Arguments">Keys of the element shapes: the element, key and value, or tuple items.</param>
/// <param name="Members">For objects: the members written, constructor parameters first.</param>
/// <param name="ConstructorParameterCount">For objects: how many leading members are constructor arguments.</param>
/// <param name="CheckRuntimeType">For classes that are not sealed: refuse derived instances at write time.</param>
/// <param name="MinSize">The fewest bytes a value takes on the wire (at least 1): bounds lengths on read.</param>
internal sealed record TypeShapeModel(
    string Key,
    string TypeName,
    string DisplayName,
    ShapeKind Kind,
    bool IsReferenceType,
    string Primitive,
    EquatableArray<string> Arguments,
    EquatableArray<MemberModel> Members,
    int ConstructorParameterCount,
    bool CheckRuntimeType,
    int MinSize);

/// <summary>A member of an object shape.</summary>
/// <param name="Name">The property or field name, escaped when a keyword.</param>
/// <param name="TypeKey">The key of its type's shape.</param>
internal sealed record MemberModel(string Name, string TypeKey);
