using System.ComponentModel;

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
}
