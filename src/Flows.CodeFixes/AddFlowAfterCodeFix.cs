using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Flows.CodeFixes;

/// <summary>
/// Fixes FLOW025: writes <c>Flow.After(x);</c> before the statement of the later step, where
/// <c>x</c> holds the earlier step's result, so that the graph runs them in the order the body does.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddFlowAfterCodeFix)), Shared]
internal sealed class AddFlowAfterCodeFix : CodeFixProvider
{
    private const string DiagnosticId = "FLOW025";
    private const string AfterProperty = "After";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(AfterProperty, out var local) || local is null ||
                root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax or SwitchSectionSyntax } statement)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Run it after '{local}' (Flow.After)",
                    ct => InsertAsync(context.Document, statement, local, ct),
                    equivalenceKey: nameof(AddFlowAfterCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> InsertAsync(Document document, StatementSyntax statement, string local, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var after = SyntaxFactory.ParseStatement($"Flow.After({local});")
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root!.InsertNodesBefore(statement, new[] { after }));
    }
}
