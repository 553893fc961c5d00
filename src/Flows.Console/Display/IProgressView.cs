using Flows.Console.Model;

namespace Flows.Console.Display;

/// <summary>One way of showing one run: the live display or plain lines.</summary>
internal interface IProgressView
{
    /// <summary>The run started (its model is made).</summary>
    void Started();

    /// <summary>An event changed something worth telling at once; called under the model's lock, on the event thread.</summary>
    void Changed(ProgressChange change, FlowEvent flowEvent, NodeProgress? node);

    /// <summary>The run ended: stops the display (returns once it has) and prints what the run's end prints.</summary>
    void Finished(FlowFinished finished);

    /// <summary>Stops the display without a word: the listener is being taken out of the run.</summary>
    void Abort();
}
