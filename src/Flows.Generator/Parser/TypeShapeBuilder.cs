using System;
using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// Decides how each type crossing a task boundary is serialized, or why it cannot be: the one
/// type-shape analysis shared by the generator (which emits serializers) and the analyzer (which
/// reports unserializable types).
/// </summary>
internal sealed class TypeShapeBuilder
{
    private static readonly SymbolDisplayFormat s_typeName = SymbolDisplayFormat.FullyQualifiedFormat;
    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.MinimallyQualifiedFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Dictionary<string, TypeShapeModel> _shapes = new();
    private readonly Dictionary<string, (string Type, string Reason)> _problems = new();
    private readonly Dictionary<string, List<(string Label, string Key)>> _edges = new();
    private readonly Dictionary<string, string> _displayNames = new();

    /// <summary>Shapes built so far, by key; those with a problem (or reaching one) excluded.</summary>
    public IEnumerable<TypeShapeModel> UsableShapes(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(roots);
        while (pending.Count > 0)
        {
            var key = pending.Pop();
            if (!seen.Add(key) || !_shapes.TryGetValue(key, out var shape))
            {
                continue;
            }

            yield return shape;
            foreach (var edge in Edges(key))
            {
                pending.Push(edge.Key);
            }
        }
    }

    /// <summary>
    /// Why <paramref name="rootKey"/> cannot be serialized, as <c>Row.Parser: Func&lt;string, int&gt; is ...; do ...</c>,
    /// or null. The path is the shortest from the root to a type that cannot be serialized.
    /// </summary>
    public string? ProblemOf(string rootKey)
    {
        var seen = new HashSet<string> { rootKey };
        var queue = new Queue<(string Key, string Path)>();
        queue.Enqueue((rootKey, _displayNames[rootKey]));
        while (queue.Count > 0)
        {
            var (key, path) = queue.Dequeue();

            // A path starts at the nearest class, record or struct: `Row.Parser`, not `Row[][].Parser`.
            if (_shapes.TryGetValue(key, out var shape) && shape.Kind == ShapeKind.Object)
            {
                path = _displayNames[key];
            }

            if (_problems.TryGetValue(key, out var problem))
            {
                return key == rootKey
                    ? $"{problem.Type} {problem.Reason}"
                    : $"{path}: {problem.Type} {problem.Reason}";
            }

            foreach (var edge in Edges(key))
            {
                if (seen.Add(edge.Key))
                {
                    queue.Enqueue((edge.Key, path + edge.Label));
                }
            }
        }

        return null;
    }

    /// <summary>Analyzes <paramref name="type"/> and everything it holds; returns its key.</summary>
    public string Add(ITypeSymbol type)
    {
        var typeName = type.ToDisplayString(s_typeName);
        var display = type.ToDisplayString(s_display);
        var key = KeyOf(type, typeName, display);
        if (_displayNames.ContainsKey(key))
        {
            return key;
        }

        _displayNames[key] = display;
        _edges[key] = new List<(string, string)>();
        var shape = Build(type, key, typeName, display);
        if (shape is not null)
        {
            _shapes[key] = shape;
        }

        return key;
    }

    private List<(string Label, string Key)> Edges(string key) =>
        _edges.TryGetValue(key, out var edges) ? edges : new List<(string, string)>();

    private TypeShapeModel? Problem(string key, string display, string reason)
    {
        _problems[key] = (display, reason);
        return null;
    }

    private string Child(string parentKey, string label, ITypeSymbol type)
    {
        var key = Add(type);
        _edges[parentKey].Add((label, key));
        return key;
    }

    private int MinSizeOf(string key) => _shapes.TryGetValue(key, out var shape) ? shape.MinSize : 1;

    private TypeShapeModel? Build(ITypeSymbol type, string key, string typeName, string display)
    {
        TypeShapeModel Shape(ShapeKind kind, bool reference, string primitive = "", EquatableArray<string> arguments = default, int minSize = 1) =>
            new(key, typeName, display, kind, reference, primitive, arguments, EquatableArray<MemberModel>.Empty, 0, false, minSize);

        if (PrimitiveOf(type) is { } primitive)
        {
            return Shape(ShapeKind.Primitive, type.SpecialType == SpecialType.System_String, primitive.Name, minSize: primitive.Size);
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                if (array.Rank != 1)
                {
                    return Problem(key, display, "is a multi-dimensional array, which cannot be serialized; use a jagged array (T[][]) or a flat array with its dimensions");
                }

                if (IsBlockCopyable(array.ElementType))
                {
                    var element = Child(key, "[]", array.ElementType);
                    return Shape(ShapeKind.UnmanagedArray, true, array.ElementType.ToDisplayString(s_typeName), new[] { element }.ToEquatableArray());
                }

                return Shape(ShapeKind.Array, true, arguments: new[] { Child(key, "[]", array.ElementType) }.ToEquatableArray());
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Problem(key, display, "is a pointer, which means nothing in another process; pass the data it points to");
            case ITypeParameterSymbol:
                return Problem(key, display, "is a type parameter; tasks that cross processes take concrete types");
            case IDynamicTypeSymbol:
                return Problem(key, display, "has no known shape; declare a concrete type");
            case not INamedTypeSymbol:
                return Problem(key, display, "cannot be serialized; declare a concrete class, record or struct");
        }

        var named = (INamedTypeSymbol)type;
        if (named.TypeKind == TypeKind.Error)
        {
            return Problem(key, display, "is not a known type");
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            var underlying = PrimitiveOf(named.EnumUnderlyingType!)!.Value;
            return Shape(ShapeKind.Enum, false, underlying.Name, minSize: underlying.Size);
        }

        if (named.TypeKind == TypeKind.Delegate)
        {
            return Problem(key, display, "is a delegate, which is code, not data; pass the data it works on and call the code inside the task");
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return Shape(ShapeKind.Nullable, false, arguments: new[] { Child(key, string.Empty, named.TypeArguments[0]) }.ToEquatableArray());
        }

        if (IsOutcome(named))
        {
            // The state, then the value when it succeeded, else the failure as strings (FlowWriter.WriteFailure).
            return Shape(ShapeKind.Outcome, false, arguments: new[] { Child(key, ".Value", named.TypeArguments[0]) }.ToEquatableArray());
        }

        if (named.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
        {
            return Problem(key, display, "has no known shape, so nothing could read it back; declare the concrete type");
        }

        if (named.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return Problem(key, display, "is a native handle or address, which means nothing in another process");
        }

        if (!IsAccessible(named))
        {
            return Problem(key, display, "is not accessible to the generated serializers, which live outside it; make it (and the types around it) internal or public");
        }

        if (CollectionOf(named) is { } collection)
        {
            var args = named.TypeArguments;
            if (args.Length == 1)
            {
                return Shape(collection, collection == ShapeKind.ImmutableArray ? false : true, arguments: new[] { Child(key, "[]", args[0]) }.ToEquatableArray());
            }

            var k = Child(key, "[key]", args[0]);
            var v = Child(key, "[value]", args[1]);
            return Shape(collection, true, arguments: new[] { k, v }.ToEquatableArray(), minSize: 1);
        }

        if (named.IsTupleType && named.TupleElements.Length > 7)
        {
            return Problem(key, display, "is a tuple of more than 7 items, which the serializers do not support; declare a record");
        }

        if (TupleOf(named) is { } tupleKind)
        {
            var items = named.TypeArguments.Select((t, i) => Child(key, ".Item" + (i + 1), t)).ToEquatableArray();
            var size = tupleKind == ShapeKind.Tuple ? 1 : Math.Max(1, items.Sum(MinSizeOf));
            return Shape(tupleKind, tupleKind == ShapeKind.Tuple, arguments: items, minSize: Math.Min(size, 1 << 20));
        }

        if (WhyNotData(named) is { } reason)
        {
            return Problem(key, display, reason);
        }

        return BuildObject(named, key, typeName, display);
    }

    private TypeShapeModel? BuildObject(INamedTypeSymbol type, string key, string typeName, string display)
    {
        // Readable members, most derived first wins a name; then listed base first, in declaration order.
        var levels = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            levels.Insert(0, t);
        }

        var names = new HashSet<string>();
        var byLevel = new List<List<(ISymbol Member, ITypeSymbol Type, bool Settable)>>();
        for (var i = levels.Count - 1; i >= 0; i--)
        {
            var list = new List<(ISymbol, ITypeSymbol, bool)>();
            foreach (var member in levels[i].GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || !IsVisible(member.DeclaredAccessibility) || names.Contains(member.Name))
                {
                    continue;
                }

                if (member is IPropertySymbol { IsIndexer: false, GetMethod: { } getter } property && IsVisible(getter.DeclaredAccessibility))
                {
                    names.Add(member.Name);
                    list.Add((property, property.Type, property.SetMethod is { } setter && IsVisible(setter.DeclaredAccessibility)));
                }
                else if (member is IFieldSymbol { IsConst: false } field)
                {
                    names.Add(member.Name);
                    list.Add((field, field.Type, !field.IsReadOnly));
                }
            }

            byLevel.Insert(0, list);
        }

        var members = byLevel.SelectMany(l => l).ToList();
        IMethodSymbol? chosen = null;
        List<int>? chosenMatch = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!IsVisible(constructor.DeclaredAccessibility) ||
                (constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type)))
            {
                continue;
            }

            var match = new List<int>();
            foreach (var parameter in constructor.Parameters)
            {
                var index = members.FindIndex(m =>
                    string.Equals(m.Member.Name, parameter.Name, StringComparison.OrdinalIgnoreCase) &&
                    SymbolEqualityComparer.Default.Equals(m.Type, parameter.Type));
                if (index < 0 || parameter.RefKind is not (RefKind.None or RefKind.In) || match.Contains(index))
                {
                    match = null;
                    break;
                }

                match.Add(index);
            }

            if (match is not null && (chosenMatch is null || match.Count > chosenMatch.Count))
            {
                chosen = constructor;
                chosenMatch = match;
            }
        }

        if (chosen is null || chosenMatch is null)
        {
            if (type.IsValueType)
            {
                chosenMatch = new List<int>();
            }
            else
            {
                return Problem(key, display, "has no public or internal constructor whose parameters all match its properties by name (ignoring case) and type; add one, or a parameterless constructor and settable properties");
            }
        }

        var written = chosenMatch.Select(i => members[i])
            .Concat(members.Where((m, i) => m.Settable && !chosenMatch.Contains(i)))
            .ToList();
        if (written.Count == 0 && members.Count > 0)
        {
            return Problem(key, display, "has members but none can be set: no public or internal constructor has parameters matching them by name (ignoring case) and type, and none is settable; add such a constructor or make the members settable");
        }

        var models = new List<MemberModel>();
        var minSize = 0;
        foreach (var (member, memberType, _) in written)
        {
            var childKey = Child(key, "." + member.Name, memberType);
            models.Add(new MemberModel(TypeNames.Identifier(member.Name), childKey));
            minSize += MinSizeOf(childKey);
        }

        return new TypeShapeModel(
            key,
            typeName,
            display,
            ShapeKind.Object,
            type.IsReferenceType,
            string.Empty,
            EquatableArray<string>.Empty,
            models.ToEquatableArray(),
            chosenMatch.Count,
            type.IsReferenceType && !type.IsSealed,
            type.IsReferenceType ? 1 : Math.Min(Math.Max(1, minSize), 1 << 20));
    }

    /// <summary>Why a named type that is not a known primitive or collection cannot be written as an object, or null.</summary>
    private static string? WhyNotData(INamedTypeSymbol type)
    {
        if (DerivesFrom(type, "System.IO", "Stream"))
        {
            return "is a stream, a handle on a resource that cannot move to another process; read it into a byte[] (or pass a path) and open it inside the task";
        }

        if (type.ContainingNamespace?.ToDisplayString() is "System.Threading.Tasks" or "System.Threading" or "System.Reflection" ||
            DerivesFrom(type, "System", "Type") || DerivesFrom(type, "System", "Delegate"))
        {
            return "is runtime machinery, not data, and cannot move to another process; pass the data instead";
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            return "is an interface with no known shape, so nothing could read it back; declare a concrete class, record or struct";
        }

        if (type.IsAbstract)
        {
            return "is abstract, so nothing could read it back; declare the concrete type";
        }

        if (type.IsRefLikeType)
        {
            return "is a ref struct, which cannot be stored";
        }

        if (type.AllInterfaces.Any(i => i.ToDisplayString() == "System.Collections.IEnumerable"))
        {
            return "is a collection type the serializers do not know; use an array, List<T>, HashSet<T>, Dictionary<K, V> or an immutable collection";
        }

        return null;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, string ns, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.Name == name && t.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }

    private static string KeyOf(ITypeSymbol type, string typeName, string display) =>
        PrimitiveOf(type) is { } primitive ? primitive.Name : GeneratedNames.Key(display, typeName);

    /// <summary>Types the reader and writer handle directly, with their method suffix and wire size.</summary>
    private static (string Name, int Size)? PrimitiveOf(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return ("Boolean", 1);
            case SpecialType.System_Byte: return ("Byte", 1);
            case SpecialType.System_SByte: return ("SByte", 1);
            case SpecialType.System_Int16: return ("Int16", 2);
            case SpecialType.System_UInt16: return ("UInt16", 2);
            case SpecialType.System_Char: return ("Char", 2);
            case SpecialType.System_Int32: return ("Int32", 4);
            case SpecialType.System_UInt32: return ("UInt32", 4);
            case SpecialType.System_Single: return ("Single", 4);
            case SpecialType.System_Int64: return ("Int64", 8);
            case SpecialType.System_UInt64: return ("UInt64", 8);
            case SpecialType.System_Double: return ("Double", 8);
            case SpecialType.System_Decimal: return ("Decimal", 16);
            case SpecialType.System_DateTime: return ("DateTime", 8);
            case SpecialType.System_String: return ("String", 1);
        }

        if (type is INamedTypeSymbol { ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named)
        {
            switch (named.Name)
            {
                case "DateTimeOffset": return ("DateTimeOffset", 10);
                case "TimeSpan": return ("TimeSpan", 8);
                case "Guid": return ("Guid", 16);
            }
        }

        return null;
    }

    /// <summary>Element types whose arrays are copied as one block: any bit pattern is a valid value.</summary>
    private static bool IsBlockCopyable(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum ||
        type.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or
            SpecialType.System_UInt16 or SpecialType.System_Char or SpecialType.System_Int32 or SpecialType.System_UInt32 or
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double ||
        PrimitiveOf(type) is ("TimeSpan" or "Guid", _);

    private static ShapeKind? CollectionOf(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString();
        var name = type.OriginalDefinition.MetadataName;
        if (ns == "System.Collections.Generic")
        {
            return name switch
            {
                "List`1" => ShapeKind.List,
                "HashSet`1" => ShapeKind.HashSet,
                "Dictionary`2" => ShapeKind.Dictionary,
                "IEnumerable`1" or "IReadOnlyList`1" or "IReadOnlyCollection`1" or "IList`1" or "ICollection`1" => ShapeKind.SequenceInterface,
                "IReadOnlyDictionary`2" or "IDictionary`2" => ShapeKind.DictionaryInterface,
                _ => null,
            };
        }

        if (ns == "System.Collections.Immutable")
        {
            return name switch
            {
                "ImmutableArray`1" => ShapeKind.ImmutableArray,
                "ImmutableList`1" => ShapeKind.ImmutableList,
                "ImmutableHashSet`1" => ShapeKind.ImmutableHashSet,
                "ImmutableDictionary`2" => ShapeKind.ImmutableDictionary,
                _ => null,
            };
        }

        return null;
    }

    /// <summary><c>Flows.Outcome&lt;T&gt;</c>, what <c>Flow.TryMap</c> returns one of per element.</summary>
    private static bool IsOutcome(INamedTypeSymbol type) =>
        type is { Name: "Outcome", Arity: 1, ContainingType: null, ContainingNamespace: { Name: "Flows", ContainingNamespace.IsGlobalNamespace: true } };

    private static ShapeKind? TupleOf(INamedTypeSymbol type)
    {
        if (type.ContainingNamespace is not { Name: "System", ContainingNamespace.IsGlobalNamespace: true } ||
            type.TypeArguments.Length is < 1 or > 7)
        {
            return null;
        }

        return type.Name switch
        {
            "ValueTuple" => ShapeKind.ValueTuple,
            "Tuple" => ShapeKind.Tuple,
            _ => null,
        };
    }

    /// <summary>Whether generated code at assembly level can name <paramref name="type"/>.</summary>
    public static bool IsAccessible(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsAccessible(array.ElementType);
            case INamedTypeSymbol named:
                for (var t = named; t is not null; t = t.ContainingType)
                {
                    if (!IsVisible(t.DeclaredAccessibility))
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(IsAccessible);
            default:
                return true;
        }
    }

    /// <summary>Whether generated code at assembly level can call <paramref name="method"/>.</summary>
    public static bool IsAccessible(IMethodSymbol method) =>
        IsVisible(method.DeclaredAccessibility) && IsAccessible(method.ContainingType);

    private static bool IsVisible(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
}
