using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Flows.Runtime.Tests.Shell;

/// <summary>
/// <see cref="Flows.Shell.Run(string, ShellOptions, ILogger, CancellationToken)"/> called directly: what a result holds,
/// what a failure says, the options, streamed lines, and the process tree killed on cancellation and timeout.
/// </summary>
public sealed class ShellRunTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_command_gives_its_exit_code_output_error_and_duration()
    {
        var result = await Flows.Shell.Run("echo out; echo err >&2", CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("echo out; echo err >&2", result.Command);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("out\n", result.Output);
        Assert.Equal("err\n", result.Error);
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.False(result.OutputTruncated);
        Assert.False(result.ErrorTruncated);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_command_the_code_and_the_last_lines_of_stderr()
    {
        const string command = "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line$i >&2; done; exit 3";

        var error = await Assert.ThrowsAsync<ShellCommandException>(() => Flows.Shell.Run(command, CancellationToken.None).WaitAsync(Patience));

        Assert.Equal(3, error.ExitCode);
        Assert.Equal(command, error.Command);
        Assert.False(error.TimedOut);
        Assert.StartsWith($"Shell command '{command}' exited with code 3 (allowed: 0;", error.Message, StringComparison.Ordinal);
        Assert.Contains("Last lines of its standard error:", error.Message, StringComparison.Ordinal);
        Assert.Contains("  line12", error.Message, StringComparison.Ordinal);
        Assert.Contains("  line3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line2" + Environment.NewLine, error.Message, StringComparison.Ordinal);
        Assert.Contains("line1\n", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_exit_code_is_a_success()
    {
        var options = new ShellOptions { AllowedExitCodes = [0, 1] };

        var result = await Flows.Shell.Run("grep nothing /dev/null", options, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(1, result.ExitCode);
        var error = await Assert.ThrowsAsync<ShellCommandException>(() => Flows.Shell.Run("exit 2", options, CancellationToken.None).WaitAsync(Patience));
        Assert.Contains("exited with code 2 (allowed: 0, 1;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_the_shell_cannot_find_says_it_was_not_found()
    {
        var error = await Assert.ThrowsAsync<ShellCommandException>(
            () => Flows.Shell.Run("no-such-command-flows-test --flag", CancellationToken.None).WaitAsync(Patience));

        Assert.Equal(127, error.ExitCode);
        Assert.StartsWith("Shell command 'no-such-command-flows-test --flag' was not found: its shell '/bin/sh' exited with code 127", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-command-flows-test", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_started_without_a_shell_that_does_not_exist_is_named_in_a_clear_error()
    {
        var options = new ShellOptions { Shell = null, Arguments = ["x"] };

        var error = await Assert.ThrowsAsync<ShellCommandException>(
            () => Flows.Shell.Run("no-such-program-flows-test", options, CancellationToken.None).WaitAsync(Patience));

        Assert.Null(error.ExitCode);
        Assert.StartsWith("Shell command 'no-such-program-flows-test' failed: program 'no-such-program-flows-test' could not be started (", error.Message, StringComparison.Ordinal);
        Assert.Contains("check its name, that it is on PATH and executable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_working_directory_that_does_not_exist_is_named_rather_than_blamed_on_the_shell()
    {
        var missing = Path.Combine(Path.GetTempPath(), "flows-shell-missing-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<ShellCommandException>(
            () => Flows.Shell.Run("true", new ShellOptions { WorkingDirectory = missing }, CancellationToken.None).WaitAsync(Patience));

        Assert.StartsWith($"Shell command 'true' failed: its working directory '{missing}' does not exist here (ShellOptions.WorkingDirectory);", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shell_that_does_not_exist_is_named()
    {
        var error = await Assert.ThrowsAsync<ShellCommandException>(
            () => Flows.Shell.Run("true", new ShellOptions { Shell = "/no/such/shell" }, CancellationToken.None).WaitAsync(Patience));

        Assert.StartsWith("Shell command 'true' failed: its shell '/no/such/shell' could not be started (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_started_without_a_shell_gets_its_arguments_as_they_are()
    {
        var options = new ShellOptions { Shell = null, Arguments = ["%s|", "a b", "$HOME"] };

        var result = await Flows.Shell.Run("printf", options, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("a b|$HOME|", result.Output);
    }

    [Fact]
    public async Task Working_directory_environment_and_standard_input_reach_the_command()
    {
        var directory = Directory.CreateTempSubdirectory("flows-shell-").FullName;
        try
        {
            var options = new ShellOptions
            {
                WorkingDirectory = directory,
                Environment = ImmutableDictionary<string, string?>.Empty.Add("FLOWS_SHELL_TEST", "v1").Add("HOME", null),
                StandardInput = "from stdin\nsecond\n",
            };

            var result = await Flows.Shell.Run("pwd; echo \"$FLOWS_SHELL_TEST ${HOME-unset}\"; cat", options, CancellationToken.None).WaitAsync(Patience);

            Assert.Equal($"{directory}\nv1 unset\nfrom stdin\nsecond\n", result.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Output_lines_are_logged_as_they_come_stdout_as_information_and_stderr_as_warning()
    {
        using var logs = new ListLoggerProvider();
        var log = logs.CreateLogger("shell");
        using var cancel = new CancellationTokenSource();

        var running = Flows.Shell.Run("echo started; echo complaint >&2; sleep 30", log, cancel.Token);

        // Both lines arrive while the command still runs.
        var started = await logs.WaitForAsync(l => l.Message == "started", Patience);
        var complaint = await logs.WaitForAsync(l => l.Message == "complaint", Patience);
        Assert.False(running.IsCompleted);
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal(LogLevel.Warning, complaint.Level);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Patience));
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree_even_a_shell_that_ignores_SIGTERM()
    {
        using var logs = new ListLoggerProvider();
        using var cancel = new CancellationTokenSource();

        var running = Flows.Shell.Run("trap '' TERM; sleep 60 & echo \"pids $$ $!\"; wait", logs.CreateLogger("shell"), cancel.Token);
        var pids = await ProcessIds(logs);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Patience));
        foreach (var pid in pids)
        {
            await Processes.GoneAsync(pid, Patience);
        }
    }

    [Fact]
    public async Task A_timeout_kills_the_tree_and_fails_with_a_message_that_names_the_timeout()
    {
        using var logs = new ListLoggerProvider();
        var options = new ShellOptions { TimeoutMs = 1_500 };
        const string command = "trap '' TERM; sleep 60 & echo \"pids $$ $!\"; echo waiting >&2; wait";

        var running = Flows.Shell.Run(command, options, logs.CreateLogger("shell"), CancellationToken.None);
        var pids = await ProcessIds(logs);

        var error = await Assert.ThrowsAsync<ShellCommandException>(() => running.WaitAsync(Patience));
        Assert.True(error.TimedOut);
        Assert.Null(error.ExitCode);
        Assert.StartsWith($"Shell command '{command}' ran past its timeout of 1500 ms (ShellOptions.TimeoutMs) and was killed with its child processes.", error.Message, StringComparison.Ordinal);
        Assert.Contains("  waiting", error.Message, StringComparison.Ordinal);
        foreach (var pid in pids)
        {
            await Processes.GoneAsync(pid, Patience);
        }
    }

    [Fact]
    public async Task A_background_process_that_keeps_the_output_open_is_waited_for_and_one_that_redirects_it_is_not()
    {
        var holding = await Flows.Shell.Run("sleep 2 & echo started", CancellationToken.None).WaitAsync(Patience);
        var redirected = await Flows.Shell.Run("sleep 5 > /dev/null 2>&1 & echo started", CancellationToken.None).WaitAsync(Patience);

        Assert.True(holding.Duration >= TimeSpan.FromSeconds(1.5), $"took {holding.Duration}");
        Assert.True(redirected.Duration < TimeSpan.FromSeconds(4), $"took {redirected.Duration}");
        Assert.Equal("started\n", redirected.Output);
    }

    [Fact]
    public async Task A_cancelled_token_fails_before_anything_starts()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Flows.Shell.Run("true", new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Bad_options_are_refused_with_the_option_named()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Flows.Shell.Run("true", new ShellOptions { TimeoutMs = -1 }, CancellationToken.None));
        Assert.Contains("TimeoutMs", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Flows.Shell.Run(" ", CancellationToken.None));
    }

    private static async Task<int[]> ProcessIds(ListLoggerProvider logs)
    {
        var line = await logs.WaitForAsync(l => l.Message.StartsWith("pids ", StringComparison.Ordinal), Patience);
        var pids = line.Message["pids ".Length..].Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(2, pids.Length);
        Assert.All(pids, pid => Assert.True(Processes.IsAlive(pid), $"process {pid} should run before the cancellation"));
        return pids;
    }
}
