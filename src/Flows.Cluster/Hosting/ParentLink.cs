namespace Flows.Cluster.Hosting;

/// <summary>
/// A local cluster's worker reads its stdin, a pipe from the flow process, from the moment it starts:
/// the lines <c>join</c> and <c>enter</c> open the <see cref="JoinGate"/>'s two gates, and the end of the pipe (the flow process
/// exited or died) ends the worker, whatever it is doing, even half-way through joining a cluster
/// that is gone.
/// </summary>
internal static class ParentLink
{
    private static readonly TaskCompletionSource s_join = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TaskCompletionSource s_enter = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static Action? s_stop;

    /// <summary>Completes when the flow process says <c>join</c>.</summary>
    public static Task Join => s_join.Task;

    /// <summary>Completes when the flow process says <c>enter</c>: this worker's turn to write itself into the membership.</summary>
    public static Task Enter => s_enter.Task;

    /// <summary>Starts watching stdin.</summary>
    public static void Start()
    {
        var reader = new Thread(Read) { IsBackground = true, Name = "Flows parent link" };
        reader.Start();
    }

    /// <summary>How to stop gracefully once the silo runs (before that, the process just exits).</summary>
    public static void OnStop(Action stop) => Volatile.Write(ref s_stop, stop);

    private static void Read()
    {
        try
        {
            while (Console.In.ReadLine() is { } line)
            {
                if (line == "join")
                {
                    s_join.TrySetResult();
                }
                else if (line == "enter")
                {
                    s_enter.TrySetResult();
                }
            }
        }
        catch (IOException)
        {
        }

        if (Volatile.Read(ref s_stop) is { } stop)
        {
            // Leaving gracefully needs the cluster; without its flow process there is little of it
            // left, so the worker does not wait long for that.
            stop();
            Thread.Sleep(TimeSpan.FromSeconds(5));
        }

        Environment.Exit(0);
    }
}
