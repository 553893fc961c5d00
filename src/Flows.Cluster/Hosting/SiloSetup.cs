using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net;
using Flows.Cluster.Placement;
using Flows.Cluster.Security;
using Orleans.Configuration;

namespace Flows.Cluster.Hosting;

/// <summary>The Orleans configuration every Flows silo shares: the worker command's and a local cluster's own.</summary>
internal static class SiloSetup
{
    public static void Configure(ISiloBuilder silo, SiloSpec spec)
    {
        silo.Configure<SiloOptions>(o => o.SiloName = spec.SiloName);
        if (spec.Kubernetes)
        {
            // Pod name, IP and the cluster's ids come from the pod (see deploy/kubernetes).
            KubernetesHostingLoader.Load()(silo);
        }
        else
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = spec.ClusterId;
                o.ServiceId = spec.ServiceId;
            });
            silo.ConfigureEndpoints(spec.Advertise, spec.SiloPort, spec.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(spec.Advertise));
        }

        if (spec.Redis is { } redis)
        {
            silo.UseRedisClustering(redis);
        }
        else if (spec.Primary is { } primary)
        {
            silo.UseDevelopmentClustering(primary);
        }
        else if (!spec.Kubernetes)
        {
            throw new ArgumentException("A Flows silo needs a membership: --redis HOST:PORT, or --primary HOST:PORT (static).");
        }

        if (spec.LocalFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                // The flow process sees a worker's process exit the moment it happens and declares its
                // silo dead itself (LocalCluster), so probes only have to catch a process that lives
                // but never answers: one silent for about 30 s. A shorter window declared workers dead
                // that were only slow (a long GC pause, swapping, a starved CPU), and their tasks with them.
                o.ProbeTimeout = TimeSpan.FromSeconds(5);
                o.NumMissedProbesLimit = 6;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }

        silo.Configure<SiloMessagingOptions>(o =>
        {
            // Results of hundreds of megabytes are ordinary in data pipelines; Orleans' default cap is 100 MB.
            o.MaxMessageBodySize = int.MaxValue;
            if (spec.ResponseTimeout is { } responseTimeout)
            {
                o.ResponseTimeout = responseTimeout;
            }
        });

        if (spec.Tls is { } tls)
        {
            silo.UseTls(tls.Certificate, o =>
            {
                o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = (certificate, _, errors) => tls.Accepts(certificate, errors);
            });
        }

        if (spec.Secret is { } secret)
        {
            silo.UseSecret(secret);
        }

        silo.AddPlacementDirector<WorkerPlacement, WorkerPlacementDirector>();
        if (StartTrace.Enabled)
        {
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartTraceStages>();
        }
    }
}
