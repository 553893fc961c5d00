using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>Checks that a <c>[Task]</c> method can run in a graph and describes it for the emitter.</summary>
internal static class TaskInspector
{
    /// <summary>Why <paramref name="method"/> cannot be a graph task, or null when it can.</summary>
    public static string? FindProblem(IMethodSymbol method)
    {
        if (!method.IsStatic)
        {
            return "it must be static, the graph calls it without an instance";
        }

        if (method.IsGenericMethod)
        {
            return "it must not be generic, the graph calls it with concrete types";
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return $"its type '{type.Name}' must not be generic";
            }
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "it must return by value";
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            return "it must not be 'async void': return Task so that the runtime can await it";
        }

        if (!method.ReturnsVoid && method.ReturnType.IsRefLikeType)
        {
            return $"its result type '{method.ReturnType.Name}' is a ref struct, which cannot be stored between tasks";
        }

        if (method.Parameters.Count(p => KnownSymbols.IsLogger(p.Type)) > 1)
        {
            return "it takes more than one ILogger; the runtime binds one logger per task, so take one";
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In))
            {
                return $"its parameter '{parameter.Name}' is passed by reference ('ref' or 'out'); take and return values instead";
            }

            if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
            {
                return $"its parameter '{parameter.Name}' is a ref struct or pointer, which cannot be stored between tasks";
            }
        }

        return null;
    }

    /// <summary>Describes a valid task; field and invoker names are chosen by the caller.</summary>
    public static TaskModel Describe(IMethodSymbol method, string fieldName, string invokerName, CancellationToken cancellationToken)
    {
        var attribute = KnownSymbols.FindAttribute(method.OriginalDefinition, task: true);
        string? name = null;
        int retries = 0, retryDelayMs = 0, timeoutMs = 0, maxRetryDelayMs = 0, maxConcurrency = 0;
        var tags = new List<string>();
        double retryBackoff = 1.0, retryJitter = 0.0;
        var checkpoint = true;
        var retryOn = new List<string>();
        if (attribute is not null)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                // An array's Value throws: RetryOn is read from its Values.
                var value = argument.Value.Kind == TypedConstantKind.Array ? null : argument.Value.Value;
                switch (argument.Key)
                {
                    case "Name" when value is string s && s.Length > 0:
                        name = s;
                        break;
                    case "Retries" when value is int i:
                        retries = i;
                        break;
                    case "RetryDelayMs" when value is int i:
                        retryDelayMs = i;
                        break;
                    case "TimeoutMs" when value is int i:
                        timeoutMs = i;
                        break;
                    case "RetryBackoff" when value is double d:
                        retryBackoff = d;
                        break;
                    case "RetryJitter" when value is double d:
                        retryJitter = d;
                        break;
                    case "MaxRetryDelayMs" when value is int i:
                        maxRetryDelayMs = i;
                        break;
                    case "Checkpoint" when value is bool b:
                        checkpoint = b;
                        break;
                    case "RetryOn":
                        retryOn = AttributeValues.RetryOnNames(argument.Value);
                        break;
                    case "MaxConcurrency" when value is int i && i > 0:
                        maxConcurrency = i;
                        break;
                    case "Tags":
                        tags = AttributeValues.TagNames(argument.Value);
                        break;
                }
            }
        }

        var serialization = TaskSerialization.Analyze(method);
        var parameters = method.Parameters
            .Select((p, i) => new TaskParameterModel(TypeNames.Global(p.Type), KnownSymbols.IsCancellationToken(p.Type), serialization.ParameterKeys[i], LoggerOf(p.Type)))
            .ToEquatableArray();
        var logger = method.Parameters.FirstOrDefault(p => KnownSymbols.IsLogger(p.Type));
        var id = TypeNames.TaskId(method);
        var result = KnownSymbols.ResultType(method);
        var (cacheForTicks, cacheKey) = CachePolicy.Of(attribute, method, serialization.Problem is null);
        var model = new TaskModel(
            fieldName,
            invokerName,
            id,
            name ?? method.Name,
            TypeNames.GlobalMethod(method),
            parameters,
            ReturnKindOf(method),
            result is null ? null : TypeNames.Global(result),
            retries,
            retryDelayMs,
            ConstantFormatter.Double(retryBackoff),
            ConstantFormatter.Double(retryJitter),
            maxRetryDelayMs,
            retryOn.ToEquatableArray(),
            timeoutMs,
            GeneratedNames.Key(method.ContainingType.Name + "_" + method.Name, id),
            TypeShapeBuilder.IsAccessible(method),
            serialization.Problem,
            serialization.ResultKey,
            serialization.Shapes,
            CodeHash: null,
            checkpoint,
            cacheForTicks,
            cacheKey,
            logger is null ? null : LogCategoryOf(KnownSymbols.TypedLoggerArgument(logger.Type) ?? method.ContainingType),
            maxConcurrency,
            tags.ToEquatableArray());
        return model with { CodeHash = CodeHash.OfTask(method, model, cancellationToken) };
    }

    /// <summary>The display name of a task: <c>[Task(Name=...)]</c> or the method's name.</summary>
    public static string DisplayName(IMethodSymbol method)
    {
        var attribute = KnownSymbols.FindAttribute(method.OriginalDefinition, task: true);
        if (attribute is null)
        {
            return method.Name;
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Name" && argument.Value.Value is string { Length: > 0 } s)
            {
                return s;
            }
        }

        return method.Name;
    }

    /// <summary>What <see cref="TaskParameterModel.Logger"/> holds for a parameter of <paramref name="type"/>.</summary>
    private static string? LoggerOf(ITypeSymbol type) =>
        !KnownSymbols.IsLogger(type) ? null
        : KnownSymbols.TypedLoggerArgument(type) is { } argument ? TypeNames.Global(argument)
        : string.Empty;

    /// <summary>
    /// The category <c>ILogger&lt;T&gt;</c> gives for <paramref name="type"/> (what users filter on):
    /// the full name, nested types joined by '.', without generic arguments.
    /// </summary>
    private static string LogCategoryOf(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return type.ToDisplayString();
        }

        var name = named.Name;
        for (var outer = named.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.Name + "." + name;
        }

        return named.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    private static TaskReturnKind ReturnKindOf(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return TaskReturnKind.Void;
        }

        if (!KnownSymbols.IsTaskLike(method.ReturnType, out var result, out var isValueTask))
        {
            return TaskReturnKind.Value;
        }

        return (isValueTask, result is null) switch
        {
            (false, true) => TaskReturnKind.Task,
            (false, false) => TaskReturnKind.TaskOfT,
            (true, true) => TaskReturnKind.ValueTask,
            (true, false) => TaskReturnKind.ValueTaskOfT,
        };
    }
}
