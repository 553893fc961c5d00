using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Diagnostics;

/// <summary>Every rule the Flows analyzers report. Docs: <c>docs/diagnostics.md</c>, one section per id.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Flows";
    private const string HelpBase = "https://github.com/flows-dotnet/flows/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor FlowMustBeStatic = Error(
        "FLOW001",
        "A flow must be a static method",
        "Flow '{0}' must be static: a flow is compiled into a static graph and run without an instance");

    public static readonly DiagnosticDescriptor FlowTypeMustBePartial = Error(
        "FLOW002",
        "A flow's containing types must be partial",
        "Flow '{0}' is in type '{1}', which is not declared partial: declare it (and every type around it) 'partial' so that the generated '{0}Flow' class can be added to it");

    public static readonly DiagnosticDescriptor FlowMustNotBeGeneric = Error(
        "FLOW003",
        "A flow must not be generic",
        "Flow '{0}' must not be generic nor be declared in a generic type: a graph is compiled once, for concrete types");

    public static readonly DiagnosticDescriptor FlowSignatureNotSupported = Error(
        "FLOW004",
        "The flow's signature is not supported",
        "Flow '{0}' cannot be compiled into a graph: {1}");

    public static readonly DiagnosticDescriptor StatementNotAllowed = Error(
        "FLOW005",
        "Statement not allowed in a flow body",
        "{0} is not allowed in a flow body: a flow body holds task and flow calls, Flow.Map, locals bound to their results, if/else, switch, try/catch/finally and return; loops and other statements go inside a task");

    public static readonly DiagnosticDescriptor ExpressionNotAllowed = Error(
        "FLOW006",
        "A flow step must be a task or flow call",
        "'{0}' is not a task or flow call: each step of a flow body is a call of a [Task] method, Flow.Map(task, items) or a [Flow] method, possibly awaited");

    public static readonly DiagnosticDescriptor NotATaskOrFlow = Error(
        "FLOW007",
        "Call of a method that is neither a task nor a flow",
        "'{0}' is neither a [Task] nor a [Flow] method: mark it [Task] to make it a step of the graph, or call it inside a task");

    public static readonly DiagnosticDescriptor ArgumentNotAllowed = Error(
        "FLOW008",
        "Argument not allowed in a flow",
        "The argument '{0}' cannot be an input of the graph: {1}");

    public static readonly DiagnosticDescriptor ResultUsedOutsideTaskCall = Error(
        "FLOW009",
        "A task result is used outside a task call",
        "'{0}' uses the result of a task outside a task call: in a flow run a result exists only on the executor, so pass it whole to a task (or return it) and compute '{0}' inside a task");

    public static readonly DiagnosticDescriptor VariableReassigned = Error(
        "FLOW010",
        "A flow variable is assigned more than once",
        "'{0}' assigns to '{1}': a flow's parameters are its inputs, and a local takes a new value only as a whole, from a step, another local, a parameter or a constant ('x = Parse(y);'); compute '{0}' inside a task");

    public static readonly DiagnosticDescriptor AsyncCallNotAwaited = Error(
        "FLOW011",
        "An asynchronous task or flow call must be awaited",
        "'{0}' returns a task that is not awaited: write 'await {0}' where the flow uses its result");

    public static readonly DiagnosticDescriptor AwaitNotAllowed = Error(
        "FLOW012",
        "Only task and flow calls may be awaited",
        "'{0}' awaits something that is not a call of an asynchronous [Task], Flow.Map or [Flow] method");

    public static readonly DiagnosticDescriptor TaskNotSupported = Error(
        "FLOW013",
        "The task method cannot run in a graph",
        "Task '{0}' cannot run in a graph: {1}");

    public static readonly DiagnosticDescriptor ConversionNotSupported = Error(
        "FLOW014",
        "A value needs a conversion the graph cannot make",
        "'{0}' converts '{1}' to '{2}', which the graph cannot do for a value it passes along: make the types match, or convert inside a task");

    public static readonly DiagnosticDescriptor CancellationArgumentNotAllowed = Error(
        "FLOW015",
        "A task's CancellationToken must be the flow's token",
        "'{0}' is passed as a CancellationToken: pass the flow's CancellationToken parameter, 'default' or 'CancellationToken.None'; in a run the runtime binds the token itself");

    public static readonly DiagnosticDescriptor MapNotSupported = Error(
        "FLOW016",
        "Flow.Map must map a task method",
        "Flow.Map cannot be compiled: {0}");

    public static readonly DiagnosticDescriptor SubflowNotSupported = new(
        "FLOW017",
        "The called flow cannot be compiled into a graph",
        "Flow '{0}' cannot be run as a subflow: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpBase + "flow017",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor ConditionNotSupported = Error(
        "FLOW018",
        "A branch condition the graph cannot test",
        "The condition '{0}' cannot be compiled into a branch: {1}");

    public static readonly DiagnosticDescriptor SwitchNotSupported = Error(
        "FLOW019",
        "A switch the graph cannot compile",
        "This switch cannot be compiled into branches: {0}");

    public static readonly DiagnosticDescriptor CatchNotSupported = Error(
        "FLOW020",
        "A catch clause the graph cannot compile",
        "'{0}' cannot be compiled: {1}");

    public static readonly DiagnosticDescriptor LocalNotReadable = Error(
        "FLOW022",
        "A local whose value the graph cannot know here",
        "'{0}' cannot be read here: {1}");

    public static readonly DiagnosticDescriptor AfterNeedsStep = Error(
        "FLOW023",
        "Flow.After must name a step's result",
        "Flow.After({0}) cannot be compiled: {1}");

    public static readonly DiagnosticDescriptor DeconstructionNotSupported = Error(
        "FLOW024",
        "A deconstruction the graph cannot compile",
        "'{0}' cannot be compiled: {1}");

    public static readonly DiagnosticDescriptor OrderNotKnown = new(
        "FLOW025",
        "The graph may run a step before an earlier one it shares a resource with",
        "'{0}' is written after '{1}' and both take '{2}', but '{0}' reads nothing '{1}' made, so the graph may run it first: if it relies on what '{1}' did, write {3} before it; if the two are independent, suppress this warning here",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpBase + "flow025");

    public static readonly DiagnosticDescriptor TaskNotSerializableInFlow = Error(
        "FLOW101",
        "A task of an out-of-process flow passes a value that cannot be serialized",
        "Task '{0}' cannot run in another process, which flow '{1}' allows with RunsOn = {2}: {3}");

    public static readonly DiagnosticDescriptor TaskNotSerializableForExecutor = new(
        "FLOW102",
        "A flow run on an out-of-process executor has a task whose values cannot be serialized",
        "Flow '{0}' is run on {1}, but its task '{2}' cannot run in another process: {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpBase + "flow102",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor SharedMutableValue = Warning(
        "FLOW201",
        "A mutable value is shared by tasks that can run at the same time",
        "'{0}' is passed to task '{1}' and to {2}, which can run at the same time as '{1}' on threads ({3}), and '{1}' writes it ({4}): give '{1}' its own copy (copy before writing), make one task take the other's result so that they run in order, or use an immutable or concurrent type");

    public static readonly DiagnosticDescriptor ThreadUnsafeValue = Warning(
        "FLOW202",
        "An object that is not thread-safe is used by tasks that can run at the same time",
        "'{0}' is a {1}, which is not safe to use from two threads even to read, and task '{3}' can use it at the same time as {2} on threads ({4}): create one in each task (pass what it is made from instead), or make one task take the other's result so that they run in order");

    public static readonly DiagnosticDescriptor StaticMutableState = Warning(
        "FLOW203",
        "A task writes static state without synchronization",
        "Task '{0}' writes static state '{1}' without synchronization ({2}): on a ThreadExecutor task runs that overlap race on it, and on process and cluster executors each worker has its own copy, so the write is silently not shared; only LocalExecutor runs it as written. Pass the state in and return the new value, or guard it with a lock or Interlocked");

    // A task's logger (FLOW050, FLOW051): an ILogger parameter is bound by the runtime, as a
    // CancellationToken is; the flow body may only pass it what a direct call and a run agree on.
    public static readonly DiagnosticDescriptor LoggerArgumentNotAllowed = Error(
        "FLOW050",
        "A task's ILogger must be the flow's logger",
        "'{0}' is passed as a task's ILogger: pass the flow's ILogger parameter or NullLogger.Instance; in a run the runtime binds the task's logger itself (FlowRunOptions.LoggerFactory), so a direct call must log to the same place the flow was given");

    public static readonly DiagnosticDescriptor LoggingInFlowBody = Error(
        "FLOW051",
        "A flow body cannot log",
        "'{0}' logs from the flow body, which a direct call runs but a graph run does not: log inside a task, through its ILogger parameter");

    /// <summary>All rules, for <see cref="Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer.SupportedDiagnostics"/>.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        FlowMustBeStatic,
        FlowTypeMustBePartial,
        FlowMustNotBeGeneric,
        FlowSignatureNotSupported,
        StatementNotAllowed,
        ExpressionNotAllowed,
        NotATaskOrFlow,
        ArgumentNotAllowed,
        ResultUsedOutsideTaskCall,
        VariableReassigned,
        AsyncCallNotAwaited,
        AwaitNotAllowed,
        TaskNotSupported,
        ConversionNotSupported,
        CancellationArgumentNotAllowed,
        MapNotSupported,
        SubflowNotSupported,
        ConditionNotSupported,
        SwitchNotSupported,
        CatchNotSupported,
        LocalNotReadable,
        AfterNeedsStep,
        DeconstructionNotSupported,
        OrderNotKnown,
        TaskNotSerializableInFlow,
        TaskNotSerializableForExecutor,
        LoggerArgumentNotAllowed,
        LoggingInFlowBody);

    /// <summary>The thread-safety rules (FLOW2xx), reported by <c>ThreadSafetyAnalyzer</c> once the compilation is analyzed.</summary>
    public static ImmutableArray<DiagnosticDescriptor> ThreadSafety { get; } = ImmutableArray.Create(
        SharedMutableValue,
        ThreadUnsafeValue,
        StaticMutableState);

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpBase + id.ToLowerInvariant());

    // Reported at the end of the compilation: the flows, their runs and the task bodies are all needed.
    private static DiagnosticDescriptor Warning(string id, string title, string message) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpBase + id.ToLowerInvariant(),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    // [Task] and [Flow] attribute values that cannot work (FLOW030 to FLOW039), reported by AttributeValueAnalyzer
    // at the offending value.
    public static readonly DiagnosticDescriptor NegativeTaskValue = Error(
        "FLOW030",
        "A task's retry count, delay or timeout must not be negative",
        "Task '{0}': {1} = {2} cannot be negative; {3}");

    public static readonly DiagnosticDescriptor RetryBackoffOutOfRange = Error(
        "FLOW031",
        "The retry backoff must be a finite number of 1 or more",
        "Task '{0}': RetryBackoff = {1} cannot work: the delay is multiplied by it after each retry, so it must be a finite number of 1 or more (1 keeps the delay constant, 2 doubles it)");

    public static readonly DiagnosticDescriptor RetryJitterOutOfRange = Error(
        "FLOW032",
        "The retry jitter must be at least 0 and less than 1",
        "Task '{0}': RetryJitter = {1} is not in [0, 1): each retry delay is multiplied by a random factor in [1 - j, 1 + j], which must stay above 0; use 0 for no jitter, 0.2 for 20 % either way");

    public static readonly DiagnosticDescriptor RetryOnNotAnException = Error(
        "FLOW033",
        "A RetryOn entry must be an exception type",
        "Task '{0}': RetryOn entry '{1}' {2}");

    public static readonly DiagnosticDescriptor RetryOnEmpty = Error(
        "FLOW034",
        "RetryOn must list at least one exception type",
        "Task '{0}': RetryOn is {1}, which lists no exception type and so would retry nothing: leave RetryOn out to retry every failure, or list the exception types worth a retry");

    public static readonly DiagnosticDescriptor NameEmpty = Error(
        "FLOW035",
        "A task or flow name must not be empty",
        "The {0} name {1} of '{2}' is empty or white space: reports and logs show {0}s by their name; leave Name out to use '{3}', or give one that can be read");

    // A task's cache policy (FLOW036 to FLOW039): CacheFor and CacheKey values that cannot work.
    public static readonly DiagnosticDescriptor CacheForInvalid = Error(
        "FLOW036",
        "CacheFor must be a positive duration in the \"c\" format",
        "Task '{0}': CacheFor = {1} {2}: write how long a result may be reused as [d.]hh:mm:ss[.fffffff], such as \"00:10:00\" for ten minutes or \"1.00:00:00\" for a day, or leave CacheFor out for a task that is not cached");

    public static readonly DiagnosticDescriptor CacheKeyWithoutCache = Error(
        "FLOW037",
        "CacheKey needs CacheFor and a name",
        "Task '{0}': CacheKey = {1} {2}");

    public static readonly DiagnosticDescriptor CachedTaskNotSerializable = Error(
        "FLOW038",
        "A cached task's inputs and result must be serializable",
        "Task '{0}': CacheFor = {1} cannot work, because {2}: a cache entry is found by the bytes of the task's inputs and keeps the bytes of its result, so caching needs a generated serializer for every input and the result; make that type serializable or remove CacheFor");

    public static readonly DiagnosticDescriptor CachedTaskReturnsNothing = Error(
        "FLOW039",
        "A cached task must return a value",
        "Task '{0}': CacheFor = {1} is on a task that returns {2}: a cache hit skips the call, so what the task does would silently not happen; cache a task that returns the value worth reusing, or remove CacheFor");

    // A task's concurrency limits (FLOW052, FLOW053), reported by AttributeValueAnalyzer with the other attribute values.
    public static readonly DiagnosticDescriptor MaxConcurrencyOutOfRange = Error(
        "FLOW052",
        "MaxConcurrency must be 1 or more",
        "Task '{0}': MaxConcurrency = {1} cannot work: it is how many runs of the task may be in progress at once, so {2}; give 1 or more, or leave MaxConcurrency out for no limit");

    public static readonly DiagnosticDescriptor TagInvalid = Error(
        "FLOW053",
        "A task's tags must be distinct names that are not blank",
        "Task '{0}': tag {1} {2}");

    /// <summary>The rules on <c>[Task]</c> and <c>[Flow]</c> attribute values (FLOW030 to FLOW039, FLOW052, FLOW053), reported by <c>AttributeValueAnalyzer</c>.</summary>
    public static ImmutableArray<DiagnosticDescriptor> AttributeValues { get; } = ImmutableArray.Create(
        NegativeTaskValue,
        RetryBackoffOutOfRange,
        RetryJitterOutOfRange,
        RetryOnNotAnException,
        RetryOnEmpty,
        NameEmpty,
        CacheForInvalid,
        CacheKeyWithoutCache,
        CachedTaskNotSerializable,
        CachedTaskReturnsNothing,
        MaxConcurrencyOutOfRange,
        TagInvalid);
    // Maps with whole arguments and tolerant maps (FLOW040 to FLOW049). The first five explain a
    // Flow.Map/TryMap call the compiler cannot bind (where it says only CS0411); FLOW043 also refuses
    // a bound call whose task has no result the map could collect.
    public static readonly DiagnosticDescriptor MappedTaskTakesOtherElements = Error(
        "FLOW040",
        "The mapped task does not take the collection's elements",
        "{0}: the elements of '{1}' are {2}, but '{3}' {4}: map a collection of what the task takes, or change the task's first parameter");

    public static readonly DiagnosticDescriptor WholeArgumentCountMismatch = Error(
        "FLOW041",
        "The whole arguments do not match the mapped task's parameters",
        "{0}: after the element, '{1}' takes {2}, but {3}: pass one whole argument per parameter after the first, in order, as in {4}");

    public static readonly DiagnosticDescriptor WholeArgumentTypeMismatch = Error(
        "FLOW042",
        "A whole argument does not match the mapped task's parameter",
        "{0}: the whole argument '{1}' is {2}, but parameter '{3}' of '{4}' takes {5}: pass a value of type {5} (a whole argument reaches every element as it is, without conversion)");

    public static readonly DiagnosticDescriptor MappedTaskHasNoResult = Error(
        "FLOW043",
        "A mapped task must return a value or a Task<T>",
        "{0}: '{1}' returns {2}, but a map collects one result per element: return a value, or Task<T> when the task is asynchronous");

    public static readonly DiagnosticDescriptor TooManyWholeArguments = Error(
        "FLOW044",
        "A map passes at most three whole arguments",
        "{0}: '{1}' takes {2} parameters after the element, but Flow.Map and Flow.TryMap pass at most 3 whole arguments: gather the others in a record and pass that");

    public static readonly DiagnosticDescriptor MappedCollectionNotASequence = Error(
        "FLOW045",
        "The mapped collection is not a sequence",
        "{0}: '{1}' is {2}, which is not a sequence: map an array, a list or another IEnumerable<T> of what '{3}' takes");

    /// <summary>The map rules (FLOW040 to FLOW045), reported by <c>MapCallAnalyzer</c> and, for FLOW043, by the flow parser.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Maps { get; } = ImmutableArray.Create(
        MappedTaskTakesOtherElements,
        WholeArgumentCountMismatch,
        WholeArgumentTypeMismatch,
        MappedTaskHasNoResult,
        TooManyWholeArguments,
        MappedCollectionNotASequence);

    // Flows.Hosting's schedules (FLOW056): checked where the cron expression is a constant.
    public static readonly DiagnosticDescriptor CronExpressionInvalid = Error(
        "FLOW056",
        "The schedule's cron expression does not parse",
        "Schedule {0}: the cron expression \"{1}\" does not parse: {2}. Write five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro such as @daily");
}
