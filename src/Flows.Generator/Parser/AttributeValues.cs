using System.Collections.Generic;
using System.Globalization;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// One value of a <c>[Task]</c> or <c>[Flow]</c> attribute that cannot work: the rule, the named
/// argument it is in, the entry of an array argument (-1 for the whole value) and the message's arguments.
/// </summary>
internal readonly record struct AttributeValueProblem(DiagnosticDescriptor Rule, string Property, int Entry, object[] Arguments);

/// <summary>
/// Which <c>[Task]</c> and <c>[Flow]</c> attribute values cannot work (FLOW030 to FLOW039, the cache's in <see cref="CachePolicy"/>), and what
/// <c>RetryOn</c> names: what the analyzer reports and the generator emits come from here, so they agree.
/// </summary>
internal static class AttributeValues
{
    /// <summary>Every value of <paramref name="attribute"/> on <paramref name="method"/> that cannot work, in argument order.</summary>
    /// <param name="attribute">A <c>[Task]</c> or <c>[Flow]</c> attribute.</param>
    /// <param name="method">The method it is on.</param>
    /// <param name="task">Whether it is a <c>[Task]</c> (else a <c>[Flow]</c>) attribute.</param>
    public static List<AttributeValueProblem> Problems(AttributeData attribute, IMethodSymbol method, bool task)
    {
        var problems = new List<AttributeValueProblem>();
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                // Not a constant: the compiler reports it.
                continue;
            }

            switch (argument.Key)
            {
                case "Name" when value.Value is string name && name.Trim().Length == 0:
                    var kind = task ? "task" : "flow";
                    var fallback = task ? method.Name : method.ContainingType.Name + "." + method.Name;
                    problems.Add(new(DiagnosticDescriptors.NameEmpty, argument.Key, -1, new object[] { kind, Quote(name), method.Name, fallback }));
                    break;
                case "Retries" or "RetryDelayMs" or "TimeoutMs" or "MaxRetryDelayMs" when task && value.Value is int i && i < 0:
                    problems.Add(new(DiagnosticDescriptors.NegativeTaskValue, argument.Key, -1, new object[] { method.Name, argument.Key, i, NoneMeaning(argument.Key) }));
                    break;
                case "RetryBackoff" when task && value.Value is double backoff && !(backoff >= 1.0 && !double.IsInfinity(backoff)):
                    problems.Add(new(DiagnosticDescriptors.RetryBackoffOutOfRange, argument.Key, -1, new object[] { method.Name, Show(backoff) }));
                    break;
                case "RetryJitter" when task && value.Value is double jitter && !(jitter >= 0.0 && jitter < 1.0):
                    problems.Add(new(DiagnosticDescriptors.RetryJitterOutOfRange, argument.Key, -1, new object[] { method.Name, Show(jitter) }));
                    break;
                case "RetryOn" when task:
                    AddRetryOnProblems(problems, method, value);
                    break;
                case "MaxConcurrency" when task && value.Value is int limit && limit < 1:
                    var why = limit == 0 ? "0 would never run it (0 is the default only when MaxConcurrency is not written)" : "a negative count means nothing";
                    problems.Add(new(DiagnosticDescriptors.MaxConcurrencyOutOfRange, argument.Key, -1, new object[] { method.Name, limit, why }));
                    break;
                case "Tags" when task:
                    AddTagProblems(problems, method, value);
                    break;
            }
        }

        if (task)
        {
            CachePolicy.AddProblems(problems, attribute, method);
        }

        return problems;
    }

    /// <summary>
    /// The runtime names (<see cref="TypeNames.RuntimeName"/>) of the exception types a <c>[Task]</c>'s
    /// <c>RetryOn</c> lists, in order, without duplicates; the entries that cannot work are left out
    /// (the analyzer reports them). Empty when <c>RetryOn</c> is not set.
    /// </summary>
    public static List<string> RetryOnNames(TypedConstant retryOn)
    {
        var names = new List<string>();
        if (retryOn.Kind != TypedConstantKind.Array || retryOn.IsNull)
        {
            return names;
        }

        foreach (var entry in retryOn.Values)
        {
            if (EntryProblem(entry) is null && entry.Value is INamedTypeSymbol type)
            {
                var name = TypeNames.RuntimeName(type);
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The tags a <c>[Task]</c>'s <c>Tags</c> lists, in order, without duplicates and without the blank
    /// entries (the analyzer reports those). Empty when <c>Tags</c> is not set.
    /// </summary>
    public static List<string> TagNames(TypedConstant tags)
    {
        var names = new List<string>();
        if (tags.Kind != TypedConstantKind.Array || tags.IsNull)
        {
            return names;
        }

        foreach (var entry in tags.Values)
        {
            if (entry.Value is string tag && tag.Trim().Length > 0 && !names.Contains(tag))
            {
                names.Add(tag);
            }
        }

        return names;
    }

    private static void AddTagProblems(List<AttributeValueProblem> problems, IMethodSymbol method, TypedConstant value)
    {
        if (value.Kind != TypedConstantKind.Array || value.IsNull)
        {
            return;
        }

        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var i = 0; i < value.Values.Length; i++)
        {
            var entry = value.Values[i];
            if (entry.Kind == TypedConstantKind.Error)
            {
                continue;
            }

            string? problem = null;
            if (entry.Value is not string tag)
            {
                problem = "is null: give each tag a name, such as \"db\", that FlowRunOptions.TagLimits or an executor's ConcurrencyLimits can limit";
            }
            else if (tag.Trim().Length == 0)
            {
                problem = $"{Quote(tag)} is empty or white space: give each tag a name, such as \"db\", that FlowRunOptions.TagLimits or an executor's ConcurrencyLimits can limit";
            }
            else if (!seen.Add(tag))
            {
                problem = $"{Quote(tag)} is listed twice: a task takes one place in a tag's limit however often it lists it; remove the repeat";
            }

            if (problem is not null)
            {
                problems.Add(new(DiagnosticDescriptors.TagInvalid, "Tags", i, new object[] { method.Name, i, problem }));
            }
        }
    }

    private static void AddRetryOnProblems(List<AttributeValueProblem> problems, IMethodSymbol method, TypedConstant value)
    {
        if (value.Kind != TypedConstantKind.Array)
        {
            return;
        }

        if (value.IsNull || value.Values.IsEmpty)
        {
            problems.Add(new(DiagnosticDescriptors.RetryOnEmpty, "RetryOn", -1, new object[] { method.Name, value.IsNull ? "null" : "empty" }));
            return;
        }

        for (var i = 0; i < value.Values.Length; i++)
        {
            var entry = value.Values[i];
            if (EntryProblem(entry) is { } problem)
            {
                var shown = entry.Value is ITypeSymbol type ? type.ToDisplayString() : "null";
                problems.Add(new(DiagnosticDescriptors.RetryOnNotAnException, "RetryOn", i, new object[] { method.Name, shown, problem }));
            }
        }
    }

    /// <summary>Why a <c>RetryOn</c> entry cannot work, or null when it names an exception type.</summary>
    private static string? EntryProblem(TypedConstant entry)
    {
        if (entry.Kind == TypedConstantKind.Error)
        {
            return null;
        }

        if (entry.IsNull)
        {
            return "is null: list exception types, such as typeof(IOException)";
        }

        if (entry.Value is not INamedTypeSymbol type || !KnownSymbols.IsException(type.OriginalDefinition))
        {
            return "is not an exception type: only a failure is retried, and a task fails by throwing an Exception";
        }

        if (IsConstructed(type))
        {
            var example = type.Arity > 0 ? $" (typeof({type.Name}<{new string(',', type.Arity - 1)}>))" : string.Empty;
            return $"is a constructed generic type: failures are matched by type name, and the name of a constructed type depends on assembly versions; name its generic definition with empty type arguments{example}, which matches every construction of it";
        }

        return null;
    }

    /// <summary>
    /// Whether a generic type (or one nested in a generic type) is given type arguments: <c>typeof(Failure&lt;int&gt;)</c>,
    /// not <c>typeof(Failure&lt;&gt;)</c>, whose arguments are unbound (error types to Roslyn).
    /// </summary>
    private static bool IsConstructed(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            foreach (var argument in t.TypeArguments)
            {
                if (argument.TypeKind != TypeKind.Error)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>What 0 means for each of the counts and durations, for FLOW030.</summary>
    private static string NoneMeaning(string property) => property switch
    {
        "Retries" => "use 0 for no retries",
        "RetryDelayMs" => "use 0 to retry at once",
        "TimeoutMs" => "use 0 for no time limit",
        _ => "use 0 for no cap on the retry delay",
    };

    private static string Quote(string value) => "\"" + value + "\"";

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
