using System.Text;
using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// <see cref="FlowRunOptions.CaptureConsole"/>: on, what a task writes to the console becomes its records,
/// line by line, on every executor, and leaves the console alone; off, the console shows it as before (for
/// workers, passed on by the flow process). The console is the process's: these tests swap it, one at a time.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCaptureTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private const string Category = "Flows.EndToEnd.Tests.TaskLogFlows";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Captured_console_lines_become_the_tasks_records_and_skip_the_console(string executorName)
    {
        using var lease = workers.Lease(executorName);
        using var console = new WatchedConsole();
        var logs = new RecordingLoggerFactory();
        var text = "captured-" + Guid.NewGuid().ToString("N");

        var run = await TaskLogFlows.PrintingFlow.RunAsync(lease.Executor, text, options: new FlowRunOptions { LoggerFactory = logs, CaptureConsole = true }).WaitAsync(Patience);

        Assert.Equal(text.Length, run.Result);
        // In the order written; the last line, without its newline, when the task ended.
        var records = logs.Of(Category);
        Assert.Equal(
            new[] { (LogLevel.Information, "out: " + text), (LogLevel.Warning, "err: " + text), (LogLevel.Information, "partial " + text) },
            records.Select(r => (r.Level, r.Message)));
        Assert.All(records, r => Assert.Equal("Prints", r.Scope["Task"]));
        Assert.All(records, r => Assert.Equal("{Line}", r.Template));
        Assert.Contains(records, r => r.EventId.Name == "ConsoleError" && r.Level == LogLevel.Warning);
        Assert.DoesNotContain(text, console.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Without_capture_a_tasks_console_output_reaches_the_console(string executorName)
    {
        using var lease = workers.Lease(executorName);
        using var console = new WatchedConsole();
        var logs = new RecordingLoggerFactory();
        var text = "shown-" + Guid.NewGuid().ToString("N");

        await TaskLogFlows.PrintingFlow.RunAsync(lease.Executor, text, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        // A worker's lines come through its output, read on a thread of their own: awaited, not assumed.
        await console.SeenAsync("out: " + text, Patience);
        await console.SeenAsync("err: " + text, Patience);
        Assert.Empty(logs.Of(Category));
    }



    /// <summary>The process's console swapped for one that keeps what is written (both streams), put back on dispose.</summary>
    private sealed class WatchedConsole : IDisposable
    {
        private readonly TextWriter _out = Console.Out;
        private readonly TextWriter _error = Console.Error;
        private readonly Recorder _recorder = new();

        public WatchedConsole()
        {
            Console.SetOut(_recorder);
            Console.SetError(_recorder);
        }

        public string Text => _recorder.Text;

        public Task SeenAsync(string text, TimeSpan patience) => _recorder.SeenAsync(text).WaitAsync(patience);

        public void Dispose()
        {
            Console.SetOut(_out);
            Console.SetError(_error);
        }

        private sealed class Recorder : TextWriter
        {
            private readonly StringBuilder _text = new();
            private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = new();

            public override Encoding Encoding => Encoding.UTF8;

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public Task SeenAsync(string text)
            {
                lock (_text)
                {
                    if (_text.ToString().Contains(text, StringComparison.Ordinal))
                    {
                        return Task.CompletedTask;
                    }

                    var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiters.Add((text, seen));
                    return seen.Task;
                }
            }

            public override void Write(char value) => Write(value.ToString());

            public override void Write(string? value)
            {
                lock (_text)
                {
                    _text.Append(value);
                    var all = _text.ToString();
                    _waiters.RemoveAll(w => all.Contains(w.Text, StringComparison.Ordinal) && w.Seen.TrySetResult() | true);
                }
            }
        }
    }
}

/// <summary>Tests that swap the process's console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
