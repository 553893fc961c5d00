namespace Flows.Generator.Model;

/// <summary>How a task method returns its result.</summary>
internal enum TaskReturnKind
{
    /// <summary><c>void</c>.</summary>
    Void,

    /// <summary>A plain value.</summary>
    Value,

    /// <summary><c>Task</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,
}

/// <summary>One <c>[Task]</c> method a flow calls: its descriptor's values and how to invoke it.</summary>
/// <param name="FieldName">The descriptor field's name in the generated class.</param>
/// <param name="InvokerName">The invoker method's name in the generated class.</param>
/// <param name="Id">Stable identity, <c>Namespace.Type.Method</c>.</param>
/// <param name="Name">Display name: <c>[Task(Name=...)]</c> or the method's name.</param>
/// <param name="Method">The method to call, a <c>global::</c> qualified name.</param>
/// <param name="Parameters">The method's parameters in order.</param>
/// <param name="ReturnKind">How the method returns.</param>
/// <param name="ResultType">The unwrapped result type (<c>T</c> of <c>Task&lt;T&gt;</c>), or null when there is none.</param>
/// <param name="Retries">From <c>[Task(Retries=...)]</c>.</param>
/// <param name="RetryDelayMs">From <c>[Task(RetryDelayMs=...)]</c>.</param>
/// <param name="RetryBackoff">From <c>[Task(RetryBackoff=...)]</c>, as a C# double literal.</param>
/// <param name="TimeoutMs">From <c>[Task(TimeoutMs=...)]</c>.</param>
internal sealed record TaskModel(
    string FieldName,
    string InvokerName,
    string Id,
    string Name,
    string Method,
    EquatableArray<TaskParameterModel> Parameters,
    TaskReturnKind ReturnKind,
    string? ResultType,
    int Retries,
    int RetryDelayMs,
    string RetryBackoff,
    int TimeoutMs);

/// <summary>A task method's parameter.</summary>
/// <param name="Type">Its type, a <c>global::</c> name.</param>
/// <param name="IsCancellationToken">Bound by the runtime to the attempt's token, not read from the inputs.</param>
internal sealed record TaskParameterModel(string Type, bool IsCancellationToken);
