using System.Diagnostics;
using Flows.Processes;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// A flow process killed with -9 leaves its socket folder behind; the next pool to start removes
/// the folders of flow processes that no longer run, and only those.
/// </summary>
public sealed class SocketDirectoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_starting_pool_removes_the_socket_folders_of_dead_flow_processes()
    {
        var deadPid = await DeadPidAsync();
        var stale = Directory.CreateTempSubdirectory($"flows-{deadPid}-stale").FullName;
        File.WriteAllText(Path.Combine(stale, "w1.sock"), string.Empty);
        var live = Directory.CreateTempSubdirectory($"flows-{Environment.ProcessId}-live").FullName;
        var notOurs = Directory.CreateTempSubdirectory($"flows-{deadPid}-other").FullName;
        File.WriteAllText(Path.Combine(notOurs, "data.txt"), "not a socket");
        try
        {
            using var executor = new ProcessExecutor(1);
            await executor.StartAsync().WaitAsync(Patience);

            Assert.False(Directory.Exists(stale), $"{stale} (of dead pid {deadPid}) was left behind");
            Assert.True(Directory.Exists(live), "the folder of a running process was removed");
            Assert.True(Directory.Exists(notOurs), "a folder with more than sockets in it was removed");
        }
        finally
        {
            foreach (var directory in new[] { stale, live, notOurs })
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
    }

    [Theory]
    [InlineData("flows-123-abc", 123)]
    [InlineData("flows-process-tests-abc", null)]
    [InlineData("flows-123", null)]
    [InlineData("flows--1-abc", null)]
    [InlineData("other-123-abc", null)]
    public void The_owner_pid_is_read_from_the_folder_name(string name, int? pid) =>
        Assert.Equal(pid, SocketDirectories.OwnerPid(name));

    /// <summary>The pid of a process that has just exited (and so runs no more).</summary>
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var pid = process.Id;
        await process.WaitForExitAsync().WaitAsync(Patience);
        return pid;
    }
}
