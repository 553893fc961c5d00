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
/// <param name="RetryJitter">From <c>[Task(RetryJitter=...)]</c>, as a C# double literal.</param>
/// <param name="MaxRetryDelayMs">From <c>[Task(MaxRetryDelayMs=...)]</c>.</param>
/// <param name="RetryOn">From <c>[Task(RetryOn=...)]</c>: the exception types' runtime full names (<c>Ns.Outer+Failure</c>); empty when not set.</param>
/// <param name="TimeoutMs">From <c>[Task(TimeoutMs=...)]</c>.</param>
/// <param name="RegistryKey">Names the task's shared descriptor, invoker and codec in the assembly's registry.</param>
/// <param name="InRegistry">The task method is reachable from assembly-level code, so its descriptor lives in the registry.</param>
/// <param name="SerializationProblem">Why its inputs or result cannot cross a process boundary, or null.</param>
/// <param name="ResultKey">The shape key of the result, or null for none.</param>
/// <param name="Shapes">Every shape its inputs and result need; empty when there is a problem.</param>
/// <param name="CodeHash">The task's code hash (<see cref="Parser.CodeHash.OfTask"/>), or null when its method has no source here.</param>
/// <param name="Checkpoint">From <c>[Task(Checkpoint=...)]</c>.</param>
/// <param name="CacheForTicks">From <c>[Task(CacheFor=...)]</c>, in ticks; 0 when not cached (or when the value cannot work).</param>
/// <param name="CacheKey">From <c>[Task(CacheKey=...)]</c>, only with a cache; null for the task's id.</param>
/// <param name="LogCategory">
/// The category of the logger bound to the task's <c>ILogger</c> parameter (the task method's type's full
/// name, or <c>T</c>'s for an <c>ILogger&lt;T&gt;</c>, as <c>ILogger&lt;T&gt;</c> names it); null when the task takes none.
/// </param>
/// <param name="MaxConcurrency">From <c>[Task(MaxConcurrency=...)]</c>; 0 for no limit (or when the value cannot work).</param>
/// <param name="Tags">From <c>[Task(Tags=...)]</c>: the non-blank tags, in order, without duplicates; empty when not set.</param>
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
    string RetryJitter,
    int MaxRetryDelayMs,
    EquatableArray<string> RetryOn,
    int TimeoutMs,
    string RegistryKey,
    bool InRegistry,
    string? SerializationProblem,
    string? ResultKey,
    EquatableArray<TypeShapeModel> Shapes,
    string? CodeHash,
    bool Checkpoint,
    long CacheForTicks,
    string? CacheKey,
    string? LogCategory = null,
    int MaxConcurrency = 0,
    EquatableArray<string> Tags = default);

/// <summary>A task method's parameter.</summary>
/// <param name="Type">Its type, a <c>global::</c> name.</param>
/// <param name="IsCancellationToken">Bound by the runtime to the attempt's token, not read from the inputs.</param>
/// <param name="ShapeKey">The shape key of its type; empty for tokens or when the task has a serialization problem.</param>
/// <param name="Logger">
/// For an <c>ILogger</c> parameter, bound by the runtime to the attempt's logger: the empty string, or
/// <c>T</c> (a <c>global::</c> name) for an <c>ILogger&lt;T&gt;</c>. Null for every other parameter.
/// </param>
internal sealed record TaskParameterModel(string Type, bool IsCancellationToken, string ShapeKey, string? Logger = null)
{
    /// <summary>Bound by the runtime (a token or a logger): not an input, not serialized.</summary>
    public bool IsBound => IsCancellationToken || Logger is not null;
}
