using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// <see cref="Shell.Run(string, CancellationToken)"/> in a flow body is a task like any other: the same result and the
/// same failure (type and message) called directly and run as a graph on every executor, its options crossing to
/// workers, its output lines logged through the task's logger, and its process tree killed when the run is cancelled.
/// </summary>
public sealed class ShellFlowTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_command_gives_the_same_result_eagerly_and_as_a_graph(string executorName)
    {
        using var lease = workers.Lease(executorName);
        const string command = "echo out; echo err >&2";

        var eager = await ShellFlows.Run(command, CancellationToken.None);
        var run = await ShellFlows.RunFlow.RunAsync(lease.Executor, command).WaitAsync(Patience);

        Assert.Equal("0|out\n|err\n|False", eager);
        Assert.Equal(eager, run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_non_zero_exit_fails_the_task_with_the_same_type_and_message_as_a_direct_call(string executorName)
    {
        using var lease = workers.Lease(executorName);
        const string command = "echo broken >&2; exit 4";

        var thrown = await Assert.ThrowsAsync<ShellCommandException>(() => ShellFlows.Run(command, CancellationToken.None));
        var run = await ShellFlows.RunFlow.RunAsync(lease.Executor, command).WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        var failed = run.FirstFailure!;
        Assert.Equal("Run", failed.Name);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal(typeof(ShellCommandException).FullName, failed.ExceptionType);
        Assert.Equal(thrown.Message, failed.Exception!.Message);
        Assert.Contains("Shell command 'echo broken >&2; exit 4' exited with code 4", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("  broken", thrown.Message, StringComparison.Ordinal);
        var error = Assert.Throws<FlowFailedException>(() => run.EnsureSucceeded());
        Assert.Contains(thrown.Message.TrimEnd('.'), error.Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.Skipped, run.Tasks.Single(t => t.Name == "Describe").State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Options_cross_to_the_worker_allowed_exit_codes_environment_input_and_limits(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var options = new ShellOptions
        {
            AllowedExitCodes = [0, 3],
            Environment = ImmutableDictionary<string, string?>.Empty.Add("FLOWS_SHELL_E2E", "value"),
            StandardInput = "typed\n",
            MaxOutputChars = 12,
            WorkingDirectory = "/",
        };
        const string command = "pwd; cat; echo \"$FLOWS_SHELL_E2E\"; exit 3";

        var eager = await ShellFlows.RunWith(command, options, CancellationToken.None);
        var run = await ShellFlows.RunWithFlow.RunAsync(lease.Executor, command, options).WaitAsync(Patience);

        Assert.Equal("3|typed\nvalue\n||True", eager);
        Assert.Equal(eager, run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Two_overloads_in_one_flow_are_two_tasks_each_with_its_own_inputs(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var options = new ShellOptions { AllowedExitCodes = [5] };

        var eager = await ShellFlows.Both("echo one", "echo two; exit 5", options, CancellationToken.None);
        var run = await ShellFlows.BothFlow.RunAsync(lease.Executor, "echo one", "echo two; exit 5", options).WaitAsync(Patience);

        Assert.Equal("0|one\n||False/5|two\n||False", eager);
        Assert.Equal(eager, run.Result);
        Assert.Equal(new[] { "Describe", "Describe#2", "Join", "Run", "Run#2" }, run.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_map_runs_one_command_per_element(string executorName)
    {
        using var lease = workers.Lease(executorName);
        string[] commands = ["echo a", "echo b", "printf c"];

        var run = await ShellFlows.AllFlow.RunAsync(lease.Executor, commands).WaitAsync(Patience);

        Assert.Equal(new[] { "a\n", "b\n", "c" }, run.Result.Select(r => r.Output));
        Assert.Equal(commands, run.Result.Select(r => r.Command));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Output_lines_reach_the_runs_logger_factory_stdout_as_information_and_stderr_as_warning(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory(LogLevel.Information);
        const string command = "echo first; echo second; echo problem >&2";
        var eagerLogs = new RecordingLoggerFactory(LogLevel.Information);

        var eager = await ShellFlows.Logged(command, eagerLogs.CreateLogger("eager"), CancellationToken.None);
        var run = await ShellFlows.LoggedFlow.RunAsync(lease.Executor, command, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        Assert.Equal(eager.Output, run.Result.Output);
        var records = logs.Of("Flows.Shell");
        Assert.Equal(new[] { "first", "second" }, records.Where(r => r.Level == LogLevel.Information).Select(r => r.Message));
        Assert.Equal("problem", Assert.Single(records, r => r.Level == LogLevel.Warning).Message);
        Assert.All(records, r => Assert.Equal("Run", r.Scope["Task"]));
        Assert.All(records, r => Assert.Equal("{Line}", r.Template));
        Assert.Equal(
            eagerLogs.Records.Select(r => (r.Level, r.Message)).Order(),
            records.Select(r => (r.Level, r.Message)).Order());
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Cancelling_the_run_kills_the_commands_process_tree(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var pidFile = Path.Combine(Path.GetTempPath(), $"flows-shell-pids-{Guid.NewGuid():N}");
        try
        {
            using var cancel = new CancellationTokenSource();
            var command = $"trap '' TERM; sleep 60 & echo \"$$ $!\" > {pidFile}.tmp; mv {pidFile}.tmp {pidFile}; wait";

            var running = ShellFlows.RunFlow.RunAsync(lease.Executor, command, cancel.Token);
            var pids = await PidsAsync(pidFile);
            cancel.Cancel();
            var run = await running.WaitAsync(Patience);

            Assert.Equal(FlowState.Cancelled, run.State);
            Assert.Equal(TaskState.Cancelled, run.Tasks.Single(t => t.Name == "Run").State);
            foreach (var pid in pids)
            {
                await GoneAsync(pid);
            }
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_command_past_its_timeout_is_killed_with_its_tree_and_fails_alike_everywhere(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var pidFile = Path.Combine(Path.GetTempPath(), $"flows-shell-timeout-{Guid.NewGuid():N}");
        try
        {
            var options = new ShellOptions { TimeoutMs = 1_000 };
            var command = $"trap '' TERM; sleep 60 & echo \"$$ $!\" > {pidFile}; echo slow >&2; wait";

            var run = await ShellFlows.RunWithFlow.RunAsync(lease.Executor, command, options).WaitAsync(Patience);

            var failed = run.FirstFailure!;
            Assert.Equal(TaskState.Failed, failed.State);
            Assert.Equal(typeof(ShellCommandException).FullName, failed.ExceptionType);
            Assert.Equal(
                $"Shell command '{command}' ran past its timeout of 1000 ms (ShellOptions.TimeoutMs) and was killed with its child processes. Last lines of its standard error:{Environment.NewLine}  slow",
                failed.Exception!.Message);
            foreach (var pid in await PidsAsync(pidFile))
            {
                await GoneAsync(pid);
            }
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_command_that_is_not_found_fails_its_task_and_the_next_run_goes_on(string executorName)
    {
        using var lease = workers.Lease(executorName);

        var failed = await ShellFlows.RunFlow.RunAsync(lease.Executor, "no-such-command-flows-e2e").WaitAsync(Patience);
        var next = await ShellFlows.RunFlow.RunAsync(lease.Executor, "echo fine").WaitAsync(Patience);

        Assert.Equal(typeof(ShellCommandException).FullName, failed.FirstFailure!.ExceptionType);
        Assert.StartsWith("Shell command 'no-such-command-flows-e2e' was not found", failed.FirstFailure.Exception!.Message, StringComparison.Ordinal);
        Assert.Equal("0|fine\n||False", next.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Options_passed_whole_to_a_map_reach_every_element(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var options = new ShellOptions { Environment = ImmutableDictionary<string, string?>.Empty.Add("FLOWS_SHELL_WHOLE", "w"), AllowedExitCodes = [7] };
        string[] commands = ["echo 1$FLOWS_SHELL_WHOLE; exit 7", "echo 2$FLOWS_SHELL_WHOLE; exit 7"];

        var eager = await ShellFlows.AllWith(commands, options, CancellationToken.None);
        var run = await ShellFlows.AllWithFlow.RunAsync(lease.Executor, commands, options).WaitAsync(Patience);

        Assert.Equal(new[] { "1w\n", "2w\n" }, eager.Select(r => r.Output));
        Assert.Equal(eager.Select(r => (r.ExitCode, r.Output)), run.Result.Select(r => (r.ExitCode, r.Output)));
    }

    /// <summary>
    /// Four commands that each wait until all four have started finish on one thread: a running command holds none.
    /// (Each gives up after 20 s, which fails the test loudly.)
    /// </summary>
    [Fact]
    public async Task Commands_run_at_once_on_a_single_thread_because_a_running_command_holds_no_thread()
    {
        using var executor = new ThreadExecutor(numWorkers: 1);
        var directory = Directory.CreateTempSubdirectory("flows-shell-together-").FullName;
        try
        {
            var commands = Enumerable.Range(0, 4)
                .Select(i => $"touch {directory}/{i}; n=0; while [ $(ls {directory} | wc -l) -lt 4 ]; do n=$((n+1)); [ $n -gt 400 ] && exit 9; sleep 0.05; done")
                .ToArray();

            var run = await ShellFlows.AllFlow.RunAsync(executor, commands).WaitAsync(Patience);

            Assert.Equal(FlowState.Succeeded, run.State);
            Assert.All(run.Result, r => Assert.Equal(0, r.ExitCode));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int[]> PidsAsync(string pidFile)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(pidFile))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the command did not write {pidFile} within {Patience.TotalSeconds} s");
            await Task.Delay(20);
        }

        var pids = (await File.ReadAllTextAsync(pidFile)).Trim().Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(2, pids.Length);
        return pids;
    }

    /// <summary>Completes when <paramref name="pid"/> is gone (or a zombie waiting to be reaped); fails loudly past the patience.</summary>
    private static async Task GoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (IsAlive(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} still runs {Patience.TotalSeconds} s after the run was cancelled");
            await Task.Delay(20);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
