using System.Reflection;

namespace Flows.Cli.Host;

/// <summary>
/// Makes the executor <c>--executor</c> names. The cluster executor lives in Flows.Cluster, which the user's project
/// may not reference: it is looked up in the project's dependencies by name, and its absence is an error that says
/// which package to add.
/// </summary>
internal static class Executors
{
    public static async Task<FlowExecutor> CreateAsync(ExecutorSpec spec, string project, CancellationToken cancellationToken)
    {
        switch (spec.Kind)
        {
            case ExecutorSpec.Local:
                return new LocalExecutor();
            case ExecutorSpec.Threads:
                return new ThreadExecutor(spec.Workers);
            case ExecutorSpec.Processes:
                var processes = new ProcessExecutor(spec.Workers);
                await processes.StartAsync(cancellationToken).ConfigureAwait(false);
                return processes;
            default:
                return await StartLocalClusterAsync(spec.Workers ?? 0, project, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<FlowExecutor> StartLocalClusterAsync(int workers, string project, CancellationToken cancellationToken)
    {
        Assembly cluster;
        try
        {
            cluster = Assembly.Load("Flows.Cluster");
        }
        catch (FileNotFoundException)
        {
            throw new CliException(
                $"--executor cluster needs the Flows.Cluster package in project '{project}', which does not reference it: " +
                "add it (dotnet add package Flows.Cluster), or choose --executor local, threads or processes.");
        }

        var start = cluster.GetType("Flows.ClusterExecutor")?.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "StartLocalAsync" && m.GetParameters() is [{ ParameterType: var w }, _, { ParameterType: var c }] && w == typeof(int) && c == typeof(CancellationToken))
            ?? throw new CliException($"The Flows.Cluster in project '{project}' has no ClusterExecutor.StartLocalAsync(workers, options, cancellationToken): use the Flows.Cluster version of your Flows package.");

        var task = (Task)start.Invoke(null, [workers, null, cancellationToken])!;
        await task.ConfigureAwait(false);
        return (FlowExecutor)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
