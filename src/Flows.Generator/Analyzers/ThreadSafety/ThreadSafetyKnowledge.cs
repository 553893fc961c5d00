using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// What the thread-safety rules know about framework types, kept as explicit lists so that a
/// reviewer can read them and a contributor can extend them in one place.
/// </summary>
/// <remarks>Types are matched by name, so no lookup in the compilation is needed.</remarks>
internal static class ThreadSafetyKnowledge
{
    /// <summary>
    /// Types that are not safe to use from two threads at once even when every use only reads
    /// (FLOW202), with a short description for the message. A type derived from one of them is
    /// unsafe too; so is every type that implements <c>System.Collections.IEnumerator</c>.
    /// </summary>
    private static readonly Dictionary<string, string> s_unsafeTypes = new()
    {
        ["System.Random"] = "Random (its state is corrupted by concurrent calls; use one per task or Random.Shared)",
        ["System.Text.StringBuilder"] = "StringBuilder",
        ["System.IO.Stream"] = "Stream (it has one position)",
        ["System.IO.TextReader"] = "TextReader",
        ["System.IO.TextWriter"] = "TextWriter",
        ["System.IO.BinaryReader"] = "BinaryReader",
        ["System.IO.BinaryWriter"] = "BinaryWriter",
        ["System.Data.Common.DbConnection"] = "database connection",
        ["System.Data.Common.DbCommand"] = "database command",
        ["System.Data.Common.DbDataReader"] = "data reader",
        ["System.Data.IDbConnection"] = "database connection",
        ["System.Security.Cryptography.HashAlgorithm"] = "HashAlgorithm",
        ["System.Security.Cryptography.ICryptoTransform"] = "ICryptoTransform",
        ["System.Xml.XmlReader"] = "XmlReader",
        ["System.Xml.XmlWriter"] = "XmlWriter",
        ["System.Text.Json.Utf8JsonWriter"] = "Utf8JsonWriter",
        ["System.Net.WebClient"] = "WebClient",
        ["Microsoft.EntityFrameworkCore.DbContext"] = "DbContext",
        ["System.Collections.IEnumerator"] = "enumerator (it has one position)",
    };

    // The simple names of the unsafe types: a cheap test before the full name is built.
    private static readonly HashSet<string> s_unsafeSimpleNames = new(s_unsafeTypes.Keys.Select(k => k.Substring(k.LastIndexOf('.') + 1)));

    /// <summary>
    /// Instance methods that change the collection (or builder) they are called on. Immutable,
    /// frozen and concurrent types are excluded by namespace (<see cref="IsThreadSafeType"/>),
    /// so <c>ImmutableList.Add</c>, which returns a new list, is not a write.
    /// </summary>
    private static readonly HashSet<string> s_mutatingMethods = new()
    {
        "Add", "AddRange", "AddFirst", "AddLast", "AddOrUpdate", "TryAdd", "Insert", "InsertRange",
        "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveFirst", "RemoveLast", "RemoveWhere",
        "Clear", "Sort", "Reverse", "Push", "Pop", "TryPop", "Enqueue", "Dequeue", "TryDequeue",
        "Set", "SetAll", "SetValue", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith",
        "TrimExcess", "EnsureCapacity", "Append", "AppendLine", "AppendFormat", "AppendJoin", "Replace",
        "CopyFrom", "Fill", "Initialize",
    };

    /// <summary>Static framework methods that write one of their arguments: method, then the written parameters' names.</summary>
    private static readonly Dictionary<string, string[]> s_argumentWriters = new()
    {
        ["System.Array.Sort"] = new[] { "array", "keys", "items" },
        ["System.Array.Reverse"] = new[] { "array" },
        ["System.Array.Clear"] = new[] { "array" },
        ["System.Array.Fill"] = new[] { "array" },
        ["System.Array.Copy"] = new[] { "destinationArray" },
        ["System.Array.ConstrainedCopy"] = new[] { "destinationArray" },
        ["System.Random.Shuffle"] = new[] { "values" },
    };

    // The method names of s_argumentWriters: a cheap test before the type's full name is built.
    private static readonly HashSet<string> s_argumentWriterNames = new(s_argumentWriters.Keys.Select(k => k.Substring(k.LastIndexOf('.') + 1)));

    /// <summary>Namespaces whose types are immutable or made for concurrent use.</summary>
    private static readonly HashSet<string> s_threadSafeNamespaces = new()
    {
        "System.Collections.Immutable",
        "System.Collections.Frozen",
        "System.Collections.Concurrent",
    };

    /// <summary>Types whose writes are synchronized or per thread by design.</summary>
    private static readonly HashSet<string> s_threadSafeTypes = new()
    {
        "System.String",
        "System.Threading.ThreadLocal`1",
        "System.Threading.AsyncLocal`1",
        "System.Lazy`1",
        "System.Threading.Channels.Channel`1",
        "System.Threading.Channels.ChannelWriter`1",
        "System.Threading.Channels.ChannelReader`1",
        "System.Threading.Interlocked",
        "System.Threading.Volatile",
    };

    /// <summary>A short description when values of <paramref name="type"/> must not be used by two threads at once; else null.</summary>
    public static string? ThreadUnsafeDescription(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.TypeParameter || type.IsValueType)
        {
            return null; // a struct (such as List<T>.Enumerator) is copied into each task
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Lookup(current) is { } description)
            {
                return description;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (Lookup(implemented) is { } description)
            {
                return description;
            }
        }

        return null;

        static string? Lookup(ITypeSymbol candidate) =>
            s_unsafeSimpleNames.Contains(candidate.MetadataName) && s_unsafeTypes.TryGetValue(MetadataName(candidate), out var found) ? found : null;
    }

    /// <summary>Immutable, frozen, concurrent or synchronized types: no use of them is a race we report.</summary>
    public static bool IsThreadSafeType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        var original = type.OriginalDefinition;
        if (original.ContainingNamespace is not { Name: "Immutable" or "Frozen" or "Concurrent" or "System" or "Threading" or "Channels" } ns)
        {
            return false; // every listed type lives in one of these namespaces
        }

        return s_threadSafeTypes.Contains(MetadataName(original)) || s_threadSafeNamespaces.Contains(ns.ToDisplayString());
    }

    /// <summary>Whether an instance method of this name changes the object it is called on.</summary>
    public static bool IsMutatingMethod(IMethodSymbol method) =>
        !method.IsStatic && s_mutatingMethods.Contains(method.Name) && !IsThreadSafeType(method.ContainingType);

    /// <summary>The parameters a framework method is known to write, or null.</summary>
    public static string[]? WrittenArguments(IMethodSymbol method) =>
        s_argumentWriterNames.Contains(method.Name) && method.ContainingType is { } type && s_argumentWriters.TryGetValue(MetadataName(type) + "." + method.Name, out var names) ? names : null;

    /// <summary><c>Interlocked</c> and <c>Volatile</c>: a <c>ref</c> passed to them is a synchronized access.</summary>
    public static bool IsSynchronizationMethod(IMethodSymbol method) =>
        method.ContainingType is { Name: "Interlocked" or "Volatile", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static string MetadataName(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() + "." : string.Empty;
        return ns + type.MetadataName;
    }
}
