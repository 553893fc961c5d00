using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Flows.Cluster.Tests;

/// <summary>
/// The Redis that the cluster tests register workers in: the server FLOWS_TEST_REDIS names
/// (host:port), or else a redis-server of the fixture's own on a free loopback port, started on
/// first use and stopped with the fixture. That redis-server is the one FLOWS_TEST_REDIS_SERVER
/// names, or else the one on PATH; with neither (FLOWS_TEST_REDIS_SERVER=/nonexistent shows it
/// on a machine that has one) <see cref="Unavailable"/> says why, and the tests skip with it.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private const string ReadyLine = "Ready to accept connections";

    private readonly Lazy<Task<string>>? _address;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _server;

    public RedisServerFixture()
    {
        if (Environment.GetEnvironmentVariable("FLOWS_TEST_REDIS") is { Length: > 0 } given)
        {
            _address = new(Task.FromResult(given));
            return;
        }

        var named = Environment.GetEnvironmentVariable("FLOWS_TEST_REDIS_SERVER");
        var server = string.IsNullOrEmpty(named) ? FindOnPath("redis-server") : named;
        if (server is not null && File.Exists(server))
        {
            _address = new(() => StartAsync(server));
            return;
        }

        Unavailable = (server is null ? "redis-server is not on PATH" : $"FLOWS_TEST_REDIS_SERVER names {server}, which does not exist") +
            " and FLOWS_TEST_REDIS (host:port of a running Redis) is not set. Install Redis (apt-get install redis-server) and these tests start their own.";
    }

    /// <summary>Why the tests have no Redis, or null when they have one.</summary>
    public string? Unavailable { get; }

    /// <summary>The server's host:port, once it accepts connections.</summary>
    public Task<string> AddressAsync() => _address?.Value ?? throw new InvalidOperationException(Unavailable);

    public void Dispose()
    {
        if (_server is { } server)
        {
            if (!server.HasExited)
            {
                server.Kill();
                server.WaitForExit();
            }

            server.Dispose();
        }
    }

    private async Task<string> StartAsync(string server)
    {
        var port = Cluster.Client.FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port, "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _output.Enqueue(line);
                if (line.Contains(ReadyLine, StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _output.Enqueue(line);
            }
        };
        process.Start();
        _server = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        try
        {
            if (await Task.WhenAny(ready.Task, exited).WaitAsync(Scratch.Patience) == exited)
            {
                throw new InvalidOperationException($"{server} on port {port} exited ({process.ExitCode}) before it accepted connections:\n{Output()}");
            }
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{server} on port {port} did not print \"{ReadyLine}\" within {Scratch.Patience}:\n{Output()}");
        }

        return "127.0.0.1:" + port;
    }

    private string Output() => string.Join('\n', _output);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
