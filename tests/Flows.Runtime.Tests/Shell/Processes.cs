namespace Flows.Runtime.Tests.Shell;

/// <summary>Whether a process (not necessarily a child of this one) still runs, read from <c>/proc</c>.</summary>
internal static class Processes
{
    /// <summary>True while <paramref name="pid"/> exists and is not a zombie (killed, waiting to be reaped by whoever adopted it).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Completes when <paramref name="pid"/> is gone; fails loudly past <paramref name="patience"/>.</summary>
    public static async Task GoneAsync(int pid, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (IsAlive(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs {patience.TotalSeconds} s after its command was killed");
            await Task.Delay(20);
        }
    }
}
