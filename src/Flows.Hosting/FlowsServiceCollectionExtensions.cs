using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flows.Hosting;

/// <summary><c>services.AddFlows(...)</c>: Flows in a .NET generic host.</summary>
public static class FlowsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FlowHost"/> (a singleton and a hosted service: the executor starts and stops with the
    /// host), the host's <see cref="FlowExecutor"/> (a singleton, usable once the host has started), a
    /// <see cref="TimeProvider"/> (the system clock, unless one is registered), and the health check
    /// <c>flows</c>. <paramref name="configure"/> chooses the executor and the shutdown grace; the options can also
    /// be bound from configuration (<c>services.Configure&lt;FlowsHostOptions&gt;(section)</c>).
    /// </summary>
    public static IServiceCollection AddFlows(this IServiceCollection services, Action<FlowsHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FlowsHostOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(s => s.ServiceType == typeof(FlowHost)))
        {
            return services;
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FlowHost>();
        services.AddHostedService(sp => sp.GetRequiredService<FlowHost>());
        services.AddSingleton(sp => sp.GetRequiredService<FlowHost>().Executor);
        services.AddHealthChecks().AddCheck<FlowsHealthCheck>("flows", tags: ["flows"]);
        return services;
    }

    /// <summary>
    /// Runs a flow on a cron expression while the host runs: five fields (minute hour day-of-month month
    /// day-of-week), six with seconds first, or a macro (<c>@hourly</c>, <c>@daily</c>, ...), read by Cronos in
    /// <see cref="FlowScheduleOptions.TimeZone"/> (UTC by default). <paramref name="start"/> is the generated call
    /// with the flow's parameters: <c>(executor, options, ct) => Etl.ReportFlow.RunAsync(executor, urls, ct, options)</c>.
    /// A constant expression that does not parse is a compile-time error (FLOW056); another, when this is called.
    /// Calls <see cref="AddFlows"/> if it has not been.
    /// </summary>
    /// <exception cref="ArgumentException">The expression does not parse, or the name is empty or already taken.</exception>
    public static IServiceCollection AddFlowSchedule<TRun>(this IServiceCollection services, string name, string cron, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start, Action<FlowScheduleOptions> configure)
        where TRun : FlowRun
    {
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, cron, null, start, configure);
    }

    /// <summary>
    /// Runs a flow every <paramref name="interval"/> while the host runs, the first time one interval after the
    /// host starts. <paramref name="start"/> is the generated call with the flow's parameters, as for a cron schedule.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive.</exception>
    public static IServiceCollection AddFlowSchedule<TRun>(this IServiceCollection services, string name, TimeSpan interval, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start, Action<FlowScheduleOptions> configure)
        where TRun : FlowRun
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"Schedule '{name}': the interval must be positive.");
        }

        return Add(services, name, null, interval, start, configure);
    }

    /// <summary>Runs a flow on a cron expression with the default <see cref="FlowScheduleOptions"/> (UTC, overlaps skipped, missed runs skipped).</summary>
    /// <inheritdoc cref="AddFlowSchedule{TRun}(IServiceCollection, string, string, Func{FlowExecutor, FlowRunOptions, CancellationToken, Task{TRun}}, Action{FlowScheduleOptions})" />
    public static IServiceCollection AddFlowSchedule<TRun>(this IServiceCollection services, string name, string cron, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start)
        where TRun : FlowRun
        => services.AddFlowSchedule(name, cron, start, static _ => { });

    /// <summary>Runs a flow every <paramref name="interval"/> with the default <see cref="FlowScheduleOptions"/> (overlaps skipped, missed runs skipped).</summary>
    /// <inheritdoc cref="AddFlowSchedule{TRun}(IServiceCollection, string, TimeSpan, Func{FlowExecutor, FlowRunOptions, CancellationToken, Task{TRun}}, Action{FlowScheduleOptions})" />
    public static IServiceCollection AddFlowSchedule<TRun>(this IServiceCollection services, string name, TimeSpan interval, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start)
        where TRun : FlowRun
        => services.AddFlowSchedule(name, interval, start, static _ => { });

    private static IServiceCollection Add<TRun>(IServiceCollection services, string name, string? cron, TimeSpan? interval, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start, Action<FlowScheduleOptions> configure)
        where TRun : FlowRun
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(start);
        if (services.Any(s => s.ServiceType == typeof(FlowSchedule) && s.ImplementationInstance is FlowSchedule other && other.Name == name))
        {
            throw new ArgumentException($"A schedule named '{name}' is already registered: give each schedule its own name (it names its log records and its state file).", nameof(name));
        }

        var options = new FlowScheduleOptions();
        configure(options);
        var schedule = new FlowSchedule(name, cron, interval, async (executor, runOptions, ct) => await start(executor, runOptions, ct).ConfigureAwait(false), options);
        services.AddFlows();
        services.AddSingleton(schedule);
        return services;
    }
}
