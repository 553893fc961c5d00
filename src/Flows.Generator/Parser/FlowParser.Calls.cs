using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    private StepResult? ParseTaskCall(InvocationExpressionSyntax invocation, IMethodSymbol task)
    {
        if (TaskInspector.FindProblem(task) is { } problem)
        {
            Report(DiagnosticDescriptors.TaskNotSupported, invocation, task.Name, problem);
            return null;
        }

        var inputs = ParseArguments(invocation);
        if (inputs is null)
        {
            return null;
        }

        var taskIndex = RegisterTask(task);
        var node = new NodeModel(NodeKind.Task, UniqueNodeName(TaskInspector.DisplayName(task)), taskIndex, null, null, null, null, false, default);
        return AddNode(node, inputs, KnownSymbols.ResultType(task), invocation, task);
    }

    /// <summary>
    /// <c>Flow.Map(task, items, whole...)</c> or <c>Flow.TryMap(...)</c>: one node whose inputs are the
    /// collection, then each whole argument (passed as it is to every element), in the task's
    /// parameter order after the element; a token or logger argument is bound by the runtime.
    /// </summary>
    private StepResult? ParseMap(InvocationExpressionSyntax invocation, IMethodSymbol map)
    {
        if (GetArguments(invocation) is not { } arguments)
        {
            return null;
        }

        var name = "Flow." + map.Name;
        var taskArgument = arguments[0];
        if (taskArgument.Value is not IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: var task } })
        {
            Report(DiagnosticDescriptors.MapNotSupported, taskArgument.Syntax, $"its first argument must name a [Task] method, as in {name}(Parse, items); a lambda or a delegate cannot be compiled");
            return null;
        }

        if (!KnownSymbols.IsTask(task))
        {
            Report(DiagnosticDescriptors.MapNotSupported, taskArgument.Syntax, $"'{task.Name}' is not a [Task] method; mark it [Task]");
            return null;
        }

        if (TaskInspector.FindProblem(task) is { } problem)
        {
            Report(DiagnosticDescriptors.TaskNotSupported, taskArgument.Syntax, task.Name, problem);
            return null;
        }

        if (MapCallRules.NoResultToCollect(task) is { } returns)
        {
            // Bound as a map of Task (or ValueTask) values: eagerly the tasks themselves, in a run their (absent) results.
            Report(DiagnosticDescriptors.MappedTaskHasNoResult, taskArgument.Syntax, name, task.Name, returns);
            return null;
        }

        // Parameter order: the task, the collection, the whole arguments, then the token if any.
        var inputs = new List<SlotRef>();
        var ok = true;
        for (var i = 1; i < arguments.Count; i++)
        {
            // Whole argument i - 1 is the task's parameter i - 1 (0 is the element): a logger is known by
            // the task's parameter, since the map's own may be inferred as the argument's type (NullLogger).
            var argument = arguments[i];
            if (KnownSymbols.IsCancellationToken(argument.Parameter!.Type))
            {
                ok &= CheckTokenArgument(argument);
            }
            else if (i >= 2 && i - 1 < task.Parameters.Length && KnownSymbols.IsLogger(task.Parameters[i - 1].Type))
            {
                ok &= CheckLoggerArgument(argument);
            }
            else if (ArgumentSlot(argument) is { } slot)
            {
                inputs.Add(slot);
            }
            else
            {
                ok = false;
            }
        }

        if (!ok || inputs.Count == 0)
        {
            return null;
        }

        var taskIndex = RegisterTask(task);
        var node = new NodeModel(
            NodeKind.Map,
            UniqueNodeName(TaskInspector.DisplayName(task)),
            taskIndex,
            TypeNames.Global(map.TypeArguments[0]),
            TypeNames.Global(map.TypeArguments[map.TypeArguments.Length - 1]),
            null,
            null,
            false,
            default,
            KeepsFailures: KnownSymbols.IsFlowTryMap(map));
        return AddNode(node, inputs, KnownSymbols.ResultType(map), invocation, task);
    }

    private StepResult? ParseSubflowCall(InvocationExpressionSyntax invocation, IMethodSymbol subflow)
    {
        var inSource = subflow.DeclaringSyntaxReferences.Length > 0;
        if (inSource)
        {
            // Whether the callee compiles, and whether calls loop back, is known only once every
            // flow is parsed: the analyzer checks these calls at the end of the compilation.
            _subflowCalls.Add(new SubflowCall(subflow.OriginalDefinition, invocation.GetLocation()));
        }
        else if (subflow.ContainingType.GetTypeMembers(subflow.Name + "Flow").IsEmpty)
        {
            Report(DiagnosticDescriptors.SubflowNotSupported, invocation, subflow.Name, "its assembly was built without the Flows generator, so it has no graph");
            return null;
        }

        var inputs = ParseArguments(invocation);
        if (inputs is null)
        {
            return null;
        }

        var node = new NodeModel(
            NodeKind.Subflow,
            UniqueNodeName(subflow.Name),
            -1,
            null,
            null,
            TypeNames.Id(subflow),
            TypeNames.Global(subflow.ContainingType) + "." + subflow.Name + "Flow",
            inSource,
            default);
        return AddNode(node, inputs, KnownSymbols.ResultType(subflow), invocation, subflow);
    }

    /// <summary>The input slots of a task or flow call, in parameter order, cancellation tokens and loggers left out.</summary>
    private List<SlotRef>? ParseArguments(InvocationExpressionSyntax invocation)
    {
        if (GetArguments(invocation) is not { } arguments)
        {
            return null;
        }

        var inputs = new List<SlotRef>();
        var ok = true;
        foreach (var argument in arguments)
        {
            if (KnownSymbols.IsCancellationToken(argument.Parameter!.Type))
            {
                ok &= CheckTokenArgument(argument);
            }
            else if (KnownSymbols.IsLogger(argument.Parameter.Type))
            {
                ok &= CheckLoggerArgument(argument);
            }
            else if (ArgumentSlot(argument) is { } slot)
            {
                inputs.Add(slot);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? inputs : null;
    }

    /// <summary>The bound arguments in parameter order (the operation lists them in evaluation order).</summary>
    private List<IArgumentOperation>? GetArguments(InvocationExpressionSyntax invocation)
    {
        if (_semanticModel.GetOperation(invocation, _cancellationToken) is not IInvocationOperation operation ||
            operation.Arguments.Any(a => a.Parameter is null))
        {
            _unbound = true;
            return null;
        }

        return operation.Arguments.OrderBy(a => a.Parameter!.Ordinal).ToList();
    }

    private StepResult AddNode(NodeModel node, List<SlotRef> inputs, ITypeSymbol? resultType, InvocationExpressionSyntax call, IMethodSymbol target)
    {
        var index = Register(node, inputs, new NodeSite(target.OriginalDefinition, call));
        return new StepResult(new SlotRef(SlotKind.Node, index), resultType);
    }

    private string UniqueNodeName(string name)
    {
        _nodeNameCounts.TryGetValue(name, out var count);
        _nodeNameCounts[name] = ++count;
        return count == 1 ? name : name + "#" + count;
    }

    /// <summary>The flow-local index of a task's descriptor, describing the task on first use.</summary>
    private int RegisterTask(IMethodSymbol task)
    {
        task = task.OriginalDefinition;
        if (_taskIndexes.TryGetValue(task, out var index))
        {
            return index;
        }

        // Two tasks named alike in different types get distinct member names.
        var suffix = string.Empty;
        for (var n = 2; _memberNames.Contains("s_" + task.Name + suffix); n++)
        {
            suffix = "_" + n;
        }

        _memberNames.Add("s_" + task.Name + suffix);
        index = _tasks.Count;
        _tasks.Add(TaskInspector.Describe(task, "s_" + task.Name + suffix, "Invoke_" + task.Name + suffix, _cancellationToken));
        _taskIndexes.Add(task, index);
        return index;
    }
}
