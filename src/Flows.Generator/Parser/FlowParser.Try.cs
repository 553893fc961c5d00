using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <remarks>
/// A try statement compiles to: the try block's nodes; a TryEnd node that waits for all of them,
/// whatever their state, and lets the first catch clause that matches the first failure take it;
/// each catch block in a branch taken only when its clause took the failure; a join that enters
/// the finally block once the try and its catch blocks have run, whatever happened in them; and
/// a join that the code after the statement waits for, which completes only if the statement did.
/// </remarks>
internal sealed partial class FlowParser
{
    private void ParseTry(TryStatementSyntax statement)
    {
        var catchTypes = new List<string>();
        foreach (var clause in statement.Catches)
        {
            if (CatchType(clause) is not { } type)
            {
                return;
            }

            catchTypes.Add(type);
        }

        var entry = _path;
        var firstNode = _nodes.Count;
        var firstReturn = _returns.Count;

        var open = new TryContext(hasCatch: catchTypes.Count > 0);
        _tries.Push(open);
        _path = entry.Clone();
        ParseStatements(statement.Block.Statements);
        var tryPath = _path;
        _tries.Pop();
        var tryReturns = _returns.Count;

        // The try's end, on the path as the try began (the statement order it waits for is the entry's).
        _path = entry.Clone();
        var tryEnd = RegisterControl(new NodeModel(NodeKind.TryEnd, UniqueNodeName("<try>"), -1, null, null, null, null, false, default)
        {
            After = open.Members.Select(m => new OrderEdgeModel(m, EdgeKind.Settled)).ToEquatableArray(),
            CatchTypes = catchTypes.ToEquatableArray(),
        });
        foreach (var scoped in open.Scoped)
        {
            var pending = _nodes[scoped];
            _nodes[scoped] = pending with { Node = pending.Node with { CatchScope = tryEnd } };
        }

        var assignedInTry = AssignedSince(entry, tryPath);
        var arms = new List<Arm>();
        var catchNodes = new List<int>();
        var tryEndSlot = new SlotRef(SlotKind.Node, tryEnd);
        for (var k = 0; k < statement.Catches.Count; k++)
        {
            var clause = statement.Catches[k];
            var branch = AddBranch(entry.Branch, tryEndSlot, BranchTest.Caught, clause: k);
            _path = entry.After(tryEnd, branch);
            MarkUnreadable(_path, assignedInTry, "it is assigned in the try block, so when a step there fails it may hold its old value or its new one; assign it before the try, or in every catch clause and read it after the statement");
            if (clause.Declaration is { Identifier.ValueText.Length: > 0 } declaration &&
                _semanticModel.GetDeclaredSymbol(declaration, _cancellationToken) is ILocalSymbol caught)
            {
                _path.Declared.Add(caught);
                _path.Unreadable[caught] = "the caught exception stays in the flow process (exceptions do not cross to workers); the failed task's record (run.Tasks) holds it";
            }

            var start = _nodes.Count;
            ParseStatements(clause.Block.Statements);
            catchNodes.AddRange(Enumerable.Range(start, _nodes.Count - start));
            arms.Add(new Arm(_path, branch, _path.Branch));
        }

        // A return in a catch block wins over one in the try block: the try's was not reached
        // when a catch ran (the output merge takes the first return whose branch holds).
        var tryBlockReturns = _returns.GetRange(firstReturn, tryReturns - firstReturn);
        _returns.RemoveRange(firstReturn, tryReturns - firstReturn);
        _returns.AddRange(tryBlockReturns);

        var tryValueBranch = catchTypes.Count > 0 ? AddBranch(tryPath.Branch, tryEndSlot, BranchTest.NothingCaught) : tryPath.Branch;
        arms.Add(new Arm(tryPath, entry.Branch, tryValueBranch));

        var finallyNodes = new List<int>();
        BodyPath? finallyPath = null;
        BodyPath? finallyStart = null;
        if (statement.Finally is { } block)
        {
            _path = entry.Clone();
            var finallyEntry = RegisterControl(new NodeModel(NodeKind.Join, UniqueNodeName("<finally>"), -1, null, null, null, null, false, default)
            {
                After = new[] { new OrderEdgeModel(tryEnd, EdgeKind.Ran) }
                    .Concat(catchNodes.Select(n => new OrderEdgeModel(n, EdgeKind.Settled)))
                    .ToEquatableArray(),
            });
            _path = entry.After(finallyEntry, entry.Branch);
            var assigned = assignedInTry.Concat(arms.SelectMany(a => AssignedSince(entry, a.Path))).ToList();
            MarkUnreadable(_path, assigned, "it is assigned in the try statement, so the finally block may see its old value or its new one; read it after the statement");
            finallyStart = _path.Clone();
            var start = _nodes.Count;
            ParseStatements(block.Block.Statements);
            finallyNodes.AddRange(Enumerable.Range(start, _nodes.Count - start));
            finallyNodes.Add(finallyEntry);
            finallyPath = _path;
        }

        var endMembers = new List<int> { tryEnd };
        endMembers.AddRange(catchNodes);
        endMembers.AddRange(finallyNodes);
        JoinArms(entry, firstNode, arms, statement, endMembers);
        if (finallyPath is not null)
        {
            foreach (var local in AssignedSince(finallyStart!, finallyPath))
            {
                _path.Locals[local] = finallyPath.Locals[local];
                _path.Unreadable.Remove(local);
            }
        }
    }

    /// <summary>The exception type a catch clause takes, as a full metadata name; null when the clause is refused.</summary>
    private string? CatchType(CatchClauseSyntax clause)
    {
        if (clause.Filter is { } filter)
        {
            Report(DiagnosticDescriptors.CatchNotSupported, filter, filter.ToString(), "an exception filter runs code on the exception, which stays in the flow process; catch the type, and decide inside a task what to do");
            return null;
        }

        if (clause.Block.DescendantNodes().OfType<ThrowStatementSyntax>().FirstOrDefault() is { } rethrow)
        {
            Report(DiagnosticDescriptors.CatchNotSupported, rethrow, rethrow.ToString(), "a catch block of a flow cannot throw; to clean up after a failure and still fail, use 'finally'");
            return null;
        }

        if (clause.Declaration is null)
        {
            return "System.Exception";
        }

        var type = _semanticModel.GetTypeInfo(clause.Declaration.Type, _cancellationToken).Type;
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            _unbound = true;
            return null;
        }

        if (type is not INamedTypeSymbol { IsGenericType: false } named)
        {
            Report(DiagnosticDescriptors.CatchNotSupported, clause.Declaration.Type, clause.Declaration.ToString(), "a failure is matched by its type's name, and a generic type's name cannot say its type arguments; catch a non-generic base type, or 'Exception'");
            return null;
        }

        return TypeNames.RuntimeName(named);
    }

    /// <summary>The locals declared before the statement that <paramref name="path"/> gave a new value.</summary>
    private static List<ILocalSymbol> AssignedSince(BodyPath entry, BodyPath path) =>
        entry.Declared
            .Where(local => path.Locals.TryGetValue(local, out var now) && (!entry.Locals.TryGetValue(local, out var before) || !now.Equals(before)))
            .OrderBy(l => l.Name, System.StringComparer.Ordinal)
            .ToList();

    private static void MarkUnreadable(BodyPath path, IEnumerable<ILocalSymbol> locals, string reason)
    {
        foreach (var local in locals)
        {
            path.Unreadable[local] = reason;
            path.Locals.Remove(local);
        }
    }
}
