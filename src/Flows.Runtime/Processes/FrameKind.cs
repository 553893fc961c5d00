namespace Flows.Processes;

/// <summary>The messages between a flow's process (the parent) and a worker process.</summary>
internal enum FrameKind : byte
{
    // Parent to worker.
    Hello = 1,
    LoadAssembly = 2,
    DefineTask = 3,
    Run = 4,
    Cancel = 5,

    /// <summary>
    /// A <see cref="Run"/> whose inputs travel one by one, each inline or as a result in shared memory
    /// (<see cref="Workers.SharedMemory"/>); sent only when some input is such a result (protocol 5).
    /// </summary>
    RunInputs = 6,

    // Worker to parent.
    HelloAck = 11,
    AssemblyLoaded = 12,
    Result = 14,
    Failure = 15,

    /// <summary>A record a task wrote to its logger: the request's id, then the record (<see cref="Logging.LogRecordCodec"/>).</summary>
    Log = 16,

    /// <summary>A <see cref="Result"/> whose value the worker wrote to a file in the pool's shared-memory folder: the request's id, the run time, the value's length (protocol 5).</summary>
    SharedResult = 17,
}

/// <summary>Constants of the parent–worker protocol.</summary>
internal static class WorkerProtocol
{
    /// <summary>Raised whenever a frame's layout changes; both sides must agree at the handshake.</summary>
    /// <remarks>
    /// 3: a <see cref="FrameKind.Failure"/> carries the exception's type chain (count, names) instead of its type name.
    /// 4: a <see cref="FrameKind.Run"/> carries the task's log level mask after the task's index; <see cref="FrameKind.Log"/> frames.
    /// 5: <see cref="FrameKind.Hello"/> carries the worker's id and the pool's shared-memory folder; <see cref="FrameKind.SharedResult"/> and <see cref="FrameKind.RunInputs"/> frames.
    /// </remarks>
    public const int Version = 5;

    /// <summary>Length prefix (4 bytes) and kind (1 byte).</summary>
    public const int HeaderBytes = 5;

    /// <summary>No frame may claim more than this; a larger claim is a corrupted stream.</summary>
    public const int MaxFrameBytes = int.MaxValue - 64;
}
