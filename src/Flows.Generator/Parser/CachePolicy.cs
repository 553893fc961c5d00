using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// A <c>[Task]</c>'s <c>CacheFor</c> and <c>CacheKey</c>: which values cannot work (FLOW036 to FLOW039)
/// and what the generator emits for the others, from one place so that the two agree.
/// </summary>
internal static class CachePolicy
{
    // The invariant "c" format without its sign, and with the hours, minutes and seconds written out:
    // TimeSpan.ParseExact("10", "c") is ten days, which nobody who wrote "10" meant.
    private static readonly Regex s_constantFormat = new(
        @"^([0-9]+\.)?[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// What a <c>[Task]</c> asks of the cache: how long results may be reused, in ticks (0 when not cached
    /// or when the value cannot work), and the name entries are kept under (null for the task's id).
    /// </summary>
    public static (long CacheForTicks, string? CacheKey) Of(AttributeData? attribute, IMethodSymbol method, bool serializable)
    {
        var (cacheFor, cacheKey) = Values(attribute);
        if (cacheFor is null || Parse(cacheFor.Value.Value as string) is not { } span || span <= TimeSpan.Zero ||
            KnownSymbols.ResultType(method) is null || !serializable)
        {
            return (0, null);
        }

        var key = cacheKey?.Value as string;
        return (span.Ticks, string.IsNullOrWhiteSpace(key) ? null : key);
    }

    /// <summary>Adds the problems of <paramref name="attribute"/>'s <c>CacheFor</c> and <c>CacheKey</c> on task <paramref name="method"/>.</summary>
    public static void AddProblems(List<AttributeValueProblem> problems, AttributeData attribute, IMethodSymbol method)
    {
        var (cacheFor, cacheKey) = Values(attribute);
        if (cacheFor is { } setFor)
        {
            AddCacheForProblems(problems, setFor, method);
        }

        if (cacheKey is { Value: string key })
        {
            if (key.Trim().Length == 0)
            {
                problems.Add(new(DiagnosticDescriptors.CacheKeyWithoutCache, "CacheKey", -1, new object[]
                {
                    method.Name, Quote(key),
                    $"is empty or white space: name the entries that tasks share, or leave CacheKey out to keep them under the task's id '{TypeNames.TaskId(method)}'",
                }));
            }
            else if (cacheFor is null)
            {
                problems.Add(new(DiagnosticDescriptors.CacheKeyWithoutCache, "CacheKey", -1, new object[]
                {
                    method.Name, Quote(key),
                    "is set without CacheFor, so nothing is ever cached under it: add CacheFor = \"00:10:00\" (how long a result may be reused) or remove CacheKey",
                }));
            }
        }
    }

    private static void AddCacheForProblems(List<AttributeValueProblem> problems, TypedConstant cacheFor, IMethodSymbol method)
    {
        var text = (string)cacheFor.Value!;
        var shown = Quote(text);
        var span = Parse(text);
        if (span is null || span.Value <= TimeSpan.Zero)
        {
            var why = span is null
                ? "is not a TimeSpan in the invariant \"c\" format"
                : span.Value == TimeSpan.Zero ? "is zero, which would never reuse a result" : "is negative";
            problems.Add(new(DiagnosticDescriptors.CacheForInvalid, "CacheFor", -1, new object[] { method.Name, shown, why }));
            return;
        }

        if (KnownSymbols.ResultType(method) is null)
        {
            var returns = method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            problems.Add(new(DiagnosticDescriptors.CachedTaskReturnsNothing, "CacheFor", -1, new object[] { method.Name, shown, returns }));
            return;
        }

        if (TaskSerialization.Analyze(method).Problem is { } problem)
        {
            problems.Add(new(DiagnosticDescriptors.CachedTaskNotSerializable, "CacheFor", -1, new object[] { method.Name, shown, problem }));
        }
    }

    /// <summary>The duration <paramref name="text"/> writes as <c>[d.]hh:mm:ss[.fffffff]</c>, or null (a negative one comes back negative).</summary>
    private static TimeSpan? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var negative = text.StartsWith("-", StringComparison.Ordinal);
        var unsigned = negative ? text.Substring(1) : text;
        if (!s_constantFormat.IsMatch(unsigned) ||
            !TimeSpan.TryParseExact(unsigned, "c", CultureInfo.InvariantCulture, out var span))
        {
            return null;
        }

        return negative ? span.Negate() : span;
    }

    /// <summary>The <c>CacheFor</c> and <c>CacheKey</c> arguments, each null when not set, set to null or not a constant.</summary>
    private static (TypedConstant? CacheFor, TypedConstant? CacheKey) Values(AttributeData? attribute)
    {
        TypedConstant? cacheFor = null, cacheKey = null;
        if (attribute is null)
        {
            return (null, null);
        }

        foreach (var argument in attribute.NamedArguments)
        {
            // Not a constant: the compiler reports it. An array's Value throws (RetryOn is one).
            if (argument.Value.Kind is TypedConstantKind.Error or TypedConstantKind.Array || argument.Value.Value is not string)
            {
                continue;
            }

            if (argument.Key == "CacheFor")
            {
                cacheFor = argument.Value;
            }
            else if (argument.Key == "CacheKey")
            {
                cacheKey = argument.Value;
            }
        }

        return (cacheFor, cacheKey);
    }

    private static string Quote(string value) => "\"" + value + "\"";
}
