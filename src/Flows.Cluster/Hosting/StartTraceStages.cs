namespace Flows.Cluster.Hosting;

/// <summary>With <see cref="StartTrace"/> on, marks when a silo enters each stage of its start.</summary>
internal sealed class StartTraceStages : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly (string Name, int Stage)[] Stages =
    [
        (nameof(ServiceLifecycleStage.RuntimeInitialize), ServiceLifecycleStage.RuntimeInitialize),
        (nameof(ServiceLifecycleStage.RuntimeServices), ServiceLifecycleStage.RuntimeServices),
        (nameof(ServiceLifecycleStage.RuntimeGrainServices), ServiceLifecycleStage.RuntimeGrainServices),
        (nameof(ServiceLifecycleStage.AfterRuntimeGrainServices), ServiceLifecycleStage.AfterRuntimeGrainServices),
        (nameof(ServiceLifecycleStage.ApplicationServices), ServiceLifecycleStage.ApplicationServices),
        (nameof(ServiceLifecycleStage.BecomeActive), ServiceLifecycleStage.BecomeActive),
        (nameof(ServiceLifecycleStage.Active), ServiceLifecycleStage.Active),
    ];

    public void Participate(ISiloLifecycle lifecycle)
    {
        foreach (var (name, stage) in Stages)
        {
            lifecycle.Subscribe(nameof(StartTraceStages), stage, _ =>
            {
                StartTrace.Mark("silo stage " + name);
                return Task.CompletedTask;
            });
        }
    }
}
