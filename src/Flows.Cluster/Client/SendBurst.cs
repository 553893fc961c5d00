namespace Flows.Cluster.Client;

/// <summary>
/// Holds back sends while one thread submits a burst (a run's roots, a map's elements, the tasks
/// made ready by one batch of outcomes), so that they leave as one message per worker.
/// </summary>
internal static class SendBurst
{
    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static List<(ClusterSession Session, WorkerLink Link)>? t_held;

    public static void Enter() => t_depth++;

    public static void Exit()
    {
        if (--t_depth > 0 || t_held is not { Count: > 0 } held)
        {
            return;
        }

        // Flushing may start more bursts on this thread; take the list first.
        var flush = held.ToArray();
        held.Clear();
        foreach (var (session, link) in flush)
        {
            session.Flush(link);
        }
    }

    /// <summary>Flushes <paramref name="link"/> now, or at the end of the current burst.</summary>
    public static void Flush(ClusterSession session, WorkerLink link)
    {
        if (t_depth == 0)
        {
            session.Flush(link);
            return;
        }

        var held = t_held ??= [];
        foreach (var (s, l) in held)
        {
            if (l == link && s == session)
            {
                return;
            }
        }

        held.Add((session, link));
    }
}
