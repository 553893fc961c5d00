using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <summary>
/// The compile-time hashes a store compares before it reuses what an earlier run kept: a task's code
/// hash (checkpoints and cache entries made by other code are not reused) and a graph's hash (a run is
/// resumed only under the graph it started with). Both are the first 16 bytes of a SHA-256, as 32
/// lowercase hex characters.
/// </summary>
internal static class CodeHash
{
    /// <summary>
    /// The code hash of a task, or null when its method has no source in this compilation (a task of a
    /// referenced assembly: its results are then never cached, as for a hand-built descriptor).
    /// </summary>
    /// <remarks>
    /// It covers the task's id; the method's declaration without its attributes and without trivia (the
    /// tokens' texts joined by single spaces: a comment, a blank line or a re-indent does not change it,
    /// any edit of a token does); the parameter and result types by full name; and the wire shape of every
    /// type its inputs and result serialize through (type names, kinds, members in order), so that a field
    /// added to a record it takes changes the hash even though the task's own text did not change.
    /// It does not cover the code the task calls (other methods, constants it reads, packages): changing
    /// that does not change the hash, and a cached result computed by the old code may still be reused.
    /// </remarks>
    public static string? OfTask(IMethodSymbol method, TaskModel task, CancellationToken cancellationToken)
    {
        var declaration = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
        if (declaration is null)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append("task ").Append(task.Id).Append('\n');

        // The attributes are policy (retries, caching), not code: changing them keeps what was computed.
        var codeStart = declaration.AttributeLists.Count > 0 ? declaration.AttributeLists.Last().FullSpan.End : 0;
        var first = true;
        foreach (var token in declaration.DescendantTokens())
        {
            if (token.SpanStart < codeStart)
            {
                continue;
            }

            if (!first)
            {
                text.Append(' ');
            }

            first = false;
            text.Append(token.Text);
        }

        text.Append('\n');
        foreach (var parameter in task.Parameters)
        {
            text.Append("parameter ").Append(parameter.Type).Append(' ').Append(parameter.ShapeKey).Append('\n');
        }

        text.Append("returns ").Append(task.ReturnKind.ToString()).Append(' ').Append(task.ResultType ?? "-").Append('\n');
        foreach (var shape in task.Shapes)
        {
            AppendShape(text, shape);
        }

        return Of(text.ToString());
    }

    /// <summary>The first 16 bytes of the SHA-256 of <paramref name="text"/> in UTF-8, as 32 lowercase hex characters.</summary>
    public static string Of(string text)
    {
        byte[] hash;
        using (var sha = SHA256.Create())
        {
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        var hex = new StringBuilder(32);
        for (var i = 0; i < 16; i++)
        {
            hex.Append(Digits[hash[i] >> 4]).Append(Digits[hash[i] & 0xf]);
        }

        return hex.ToString();
    }

    private const string Digits = "0123456789abcdef";

    private static void AppendShape(StringBuilder text, TypeShapeModel shape)
    {
        text.Append("shape ").Append(shape.Key)
            .Append(' ').Append(shape.TypeName)
            .Append(' ').Append(shape.Kind.ToString())
            .Append(shape.IsReferenceType ? " ref " : " value ")
            .Append(shape.Primitive)
            .Append(" (").Append(string.Join(", ", shape.Arguments)).Append(')')
            .Append(" ctor ").Append(shape.ConstructorParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append(" {");
        foreach (var member in shape.Members)
        {
            text.Append(' ').Append(member.Name).Append(':').Append(member.TypeKey);
        }

        text.Append(" }\n");
    }
}
