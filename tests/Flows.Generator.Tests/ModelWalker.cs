using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// Walks a pipeline value through its public properties and elements and fails on anything that
/// would root a compilation: a symbol, syntax, a location, a semantic model or a compilation.
/// </summary>
internal static class ModelWalker
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxToken), typeof(SyntaxTree), typeof(Location),
        typeof(SemanticModel), typeof(Compilation),
    };

    public static void AssertSymbolFree(object? value, string path, ref int visited)
    {
        visited++;
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        var forbidden = Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type));
        Assert.True(forbidden is null, $"{path} holds a {type.FullName}, which is a {forbidden}.");

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertSymbolFree(item, $"{path}[{i++}]", ref visited);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            AssertSymbolFree(property.GetValue(value), $"{path}.{property.Name}", ref visited);
        }
    }
}
