using Flows.Processes;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// The control connection is a worker's lifeline to its flow process, read on its own thread even
/// while a task runs: when it closes (the flow process died) or carries a malformed frame, the worker
/// exits at once, whatever it runs or has queued.
/// </summary>
public sealed class WorkerControlConnectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What "at once" means here: far less than any queued task, on a loaded machine.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    private readonly string _scratch = Directory.CreateTempSubdirectory("flows-control-").FullName;

    public void Dispose()
    {
        Scratch.Signal(_scratch, "go");
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_worker_whose_flow_process_dies_exits_at_once_with_tasks_running_and_queued()
    {
        using var worker = await RawWorker.StartAsync(Patience);

        // Four tasks that ignore cancellation and wait for a file that never comes: one runs, three wait.
        worker.Run(WorkerTasks.WaitForFile, [_scratch], times: 4);
        await Scratch.WaitForFileAsync(_scratch, $"running.{worker.Process.Id}", Patience);

        // The flow process dies: the kernel closes its ends of both connections.
        worker.Data.Dispose();
        worker.Control.Dispose();
        var exit = await worker.WaitForExitAsync(Promptly);

        Assert.Equal(WorkerExitCode.FlowProcessGone, worker.Process.ExitCode);
        Assert.Contains("flow process", worker.Stderr);
        Console.WriteLine($"The orphaned worker exited {exit.TotalMilliseconds:F0} ms after its flow process's connections closed.");
    }

    [Fact]
    public async Task A_malformed_cancel_frame_ends_the_worker_with_a_report()
    {
        using var worker = await RawWorker.StartAsync(Patience);
        worker.Run(WorkerTasks.WaitForFile, [_scratch], times: 1);
        await Scratch.WaitForFileAsync(_scratch, $"running.{worker.Process.Id}", Patience);

        // A cancel frame carries an 8-byte request id: this one has 3 bytes.
        var frame = new FrameBuffer();
        frame.BeginFrame(FrameKind.Cancel);
        frame.WriteByte(1);
        frame.WriteByte(2);
        frame.WriteByte(3);
        frame.EndFrame();
        worker.Control.Send(frame);
        await worker.WaitForExitAsync(Promptly);

        Assert.Equal(WorkerExitCode.ControlProtocolError, worker.Process.ExitCode);
        Assert.Contains("Malformed message", worker.Stderr);
        Assert.Contains("control connection", worker.Stderr);
    }
}
