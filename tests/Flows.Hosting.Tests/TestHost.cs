using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Flows.Hosting.Tests;

/// <summary>A generic host with Flows, a fake clock and recorded logs, as an application would build it.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 1, 0, TimeSpan.Zero);

    private TestHost(IHost host, FakeTimeProvider time, RecordingLogs logs)
    {
        Host = host;
        Time = time;
        Logs = logs;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public RecordingLogs Logs { get; }

    public FlowHost Flows => Host.Services.GetRequiredService<FlowHost>();

    public static TestHost Build(Action<FlowsHostOptions>? flows = null, Action<IServiceCollection>? services = null, FakeTimeProvider? clock = null, RecordingLogs? recording = null)
    {
        var time = clock ?? new FakeTimeProvider(Start);
        var logs = recording ?? new RecordingLogs();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddFlows(flows ?? (f => f.UseThreads(2)));
        services?.Invoke(builder.Services);
        return new TestHost(builder.Build(), time, logs);
    }

    public async Task<TestHost> StartAsync()
    {
        await Host.StartAsync().WaitAsync(Patience.Timeout);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync().WaitAsync(Patience.Timeout);
        Host.Dispose();
    }
}
