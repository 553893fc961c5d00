using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows.Graph;

/// <summary>
/// The inputs of one task attempt, read by position. A view over the run's value slots: building
/// it allocates nothing.
/// </summary>
/// <remarks>Called by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct TaskArguments
{
    private readonly object?[] _slots;
    private readonly int[] _inputSlots;
    private readonly object? _element;
    private readonly bool _hasElement;
    private readonly ILogger? _logger;

    internal TaskArguments(object?[] slots, int[] inputSlots)
    {
        _slots = slots;
        _inputSlots = inputSlots;
        _element = null;
        _hasElement = false;
    }

    /// <summary>Arguments of one element of a mapped task: position 0 is the element.</summary>
    internal TaskArguments(object?[] slots, int[] inputSlots, object? element)
    {
        _slots = slots;
        _inputSlots = inputSlots;
        _element = element;
        _hasElement = true;
    }

    private TaskArguments(in TaskArguments inputs, ILogger? logger)
    {
        this = inputs;
        _logger = logger;
    }

    /// <summary>These inputs, with the logger the task's <c>ILogger</c> parameter is bound to.</summary>
    internal TaskArguments WithLogger(ILogger? logger) => new(in this, logger);

    /// <summary>Arguments held in a plain array, for callers outside a flow run (tests, workers).</summary>
    public static TaskArguments FromValues(params object?[] values)
    {
        var positions = new int[values.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = i;
        }

        return new TaskArguments(values, positions);
    }

    /// <summary>How many inputs the task takes.</summary>
    public int Count => _inputSlots.Length;

    /// <summary>The input at <paramref name="position"/>, boxed.</summary>
    public object? this[int position] =>
        _hasElement && position == 0 ? _element : _slots[_inputSlots[position]];

    /// <summary>The input at <paramref name="position"/> as <typeparamref name="T"/>.</summary>
    public T Get<T>(int position) => (T)this[position]!;

    /// <summary>
    /// What the task's <c>ILogger</c> parameter is bound to: the attempt's logger, whose records reach
    /// <c>FlowRunOptions.LoggerFactory</c> in the flow process; a logger that does nothing outside a run
    /// or when the run has no logger factory. Not an input: it is neither counted nor serialized.
    /// </summary>
    public ILogger Logger => _logger ?? NullLogger.Instance;

    /// <summary>What an <c>ILogger&lt;T&gt;</c> parameter is bound to: <see cref="Logger"/>, typed.</summary>
    public ILogger<T> LoggerOf<T>() => _logger is null ? NullLogger<T>.Instance : new Logging.TypedLogger<T>(_logger);
}
