using System.Net;
using Microsoft.Extensions.Logging;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Flows.Cluster.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Flows.Cluster.Hosting;

/// <summary>
/// <c>dotnet Flows.Cluster.dll worker ...</c>: one worker silo, on any machine that has the user's
/// build. Every option may also come from an environment variable (FLOWS_ plus the option's name).
/// </summary>
internal static class WorkerCommand
{
    /// <summary>The line a worker prints once it serves tasks (a local cluster waits for it).</summary>
    public const string ReadyLine = "FLOWS-WORKER-READY ";

    /// <summary>The line a worker started with --join-when-told prints before it waits for a line on stdin.</summary>
    public const string BuiltLine = "FLOWS-WORKER-BUILT";

    /// <summary>The line a worker started with --join-when-told prints once it has read the membership, before it waits for its turn to write itself into it.</summary>
    public const string MembershipReadLine = "FLOWS-WORKER-MEMBERSHIP-READ";

    public const string Usage = """
        Runs a Flows cluster worker (an Orleans silo that runs [Task] methods).

        dotnet Flows.Cluster.dll worker --assembly PATH [--assembly PATH ...]
            (--redis HOST:PORT | --primary HOST:PORT|self | --kubernetes)
            [--cluster-id flows] [--service-id flows] [--silo-port 11111] [--gateway-port 30000]
            [--advertise IP] [--threads N] [--memory-limit 4GiB] [--spill-dir DIR] [--tls-certificate FILE.pfx [--tls-password-env VAR]] [--insecure]
            [--log-level Warning]

        --assembly         the user's assembly with the flows' tasks: the same build the flow process runs.
                           The worker loads these and nothing else: a client naming another assembly is refused.
        --redis            Redis membership (Microsoft.Orleans.Clustering.Redis)
        --primary          static membership: the primary silo's endpoint; the primary itself says `self`
        --kubernetes       Orleans Kubernetes hosting (pod name, IP and namespace from the environment)
        --cluster-id       the cluster's name (default: flows); clients connect with the same id
        --service-id       Orleans' service id (default: flows)
        --silo-port        silo-to-silo port (default: 11111); --gateway-port: the clients' port (default: 30000, 0 for none)
        --advertise        the address others reach this silo at (default: this machine's first IPv4 address);
                           a non-loopback address makes the worker listen on every address of the machine
        --threads          tasks run at once (default: the processor count)
        --memory-limit     the worker's memory: bytes, or with a unit (512MiB, 4GiB: powers of 1024; 500MB, 4GB: of 1000);
                           `none` or 0 for no limit. Held results are spilled to disk past 60 % of it, new tasks wait past
                           80 %, and past 95 % the worker exits (code 8) to be restarted (docs/memory.md). Default: the
                           container's cgroup limit (memory.max, memory.limit_in_bytes), else the machine's memory
        --spill-dir        where the worker makes its spill folder (default: the temp folder); removed at exit
        --tls-certificate  mutual TLS among silos and clients: peers must show this same certificate (PKCS#12 with
                           its private key; its password in FLOWS_TLS_PASSWORD, or the variable --tls-password-env names)
        --insecure         listen on a non-loopback address without TLS. Anyone who reaches the ports can then run
                           the tasks of the worker's assemblies, with any arguments, as the worker's user, and read
                           results: only on a network where every machine and user is trusted
        --log-level        Trace, Debug, Information, Warning (default), Error or None; to stderr
        Environment: FLOWS_ASSEMBLY (';'-separated), FLOWS_REDIS, FLOWS_PRIMARY, FLOWS_KUBERNETES=1, FLOWS_CLUSTER_ID,
        FLOWS_SERVICE_ID, FLOWS_SILO_PORT, FLOWS_GATEWAY_PORT, FLOWS_ADVERTISE, FLOWS_THREADS, FLOWS_MEMORY_LIMIT, FLOWS_SPILL_DIR, FLOWS_TLS_CERTIFICATE, FLOWS_TLS_PASSWORD,
        FLOWS_INSECURE=1, FLOWS_LOG_LEVEL.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        StartTrace.MarkProcessStart();
        StartTrace.Mark("worker: main");
        if (args.Length > 0 && args[0] == ProbeCommand.Name)
        {
            return await ProbeCommand.RunAsync(args.AsSpan(1).ToArray()).ConfigureAwait(false);
        }

        if (args.Length == 0 || args[0] != "worker" || args.Contains("--help"))
        {
            Console.Error.WriteLine(Usage);
            return args.Contains("--help") ? 0 : 2;
        }

        WorkerLaunch launch;
        try
        {
            launch = WorkerLaunch.Parse(args.AsSpan(1).ToArray());
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"Flows worker: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (launch.ExitWithParent)
        {
            // Started by a local cluster: stdin is a pipe from the flow process, which closes when it dies.
            ParentLink.Start();
        }

        StartTrace.Mark("worker: options parsed");
        using var host = Build(launch);
        StartTrace.Mark("worker: host built");
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Flows worker: the silo did not start: {ex.GetBaseException().Message}");
            Console.Error.Flush();

            // Disposing a silo that failed half-way can wait on a cluster that is not there.
            Environment.Exit(3);
            return 3;
        }

        var key = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        StartTrace.Mark("worker: silo started (ready)");
        Console.Out.WriteLine(ReadyLine + key);
        Console.Out.Flush();

        // From here, what tasks write to the console is marked with the task, for a local cluster's flow process to pass on.
        Flows.Workers.TaskOutput.Install();

        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        if (launch.ExitWithParent)
        {
            ParentLink.OnStop(lifetime.StopApplication);
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static IHost Build(WorkerLaunch launch)
    {
        var builder = new HostBuilder();
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            logging.SetMinimumLevel(launch.LogLevel);
        });
        builder.UseOrleans(silo =>
        {
            SiloSetup.Configure(silo, launch.Silo);
            silo.Services.AddSingleton(launch.Settings);
            silo.Services.AddSingleton<TaskHost>();
            if (launch.JoinWhenTold)
            {
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, JoinGate>();
            }
        });
        return builder.Build();
    }
}

/// <summary>The worker command's options, parsed.</summary>
internal sealed class WorkerLaunch
{
    public required SiloSpec Silo { get; init; }

    public required WorkerSettings Settings { get; init; }

    public bool ExitWithParent { get; init; }

    /// <summary>Wait for lines on stdin before joining the cluster and before writing itself into its membership (a local cluster's workers: see <see cref="JoinGate"/>).</summary>
    public bool JoinWhenTold { get; init; }

    /// <summary>The least severe log level written to stderr (Warning by default).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Parses <paramref name="args"/>; with <c>--tls-from-stdin</c>, reads the certificate line from <paramref name="stdin"/> (the console's by default).</summary>
    public static WorkerLaunch Parse(string[] args, TextReader? stdin = null)
    {
        string? Option(string name)
        {
            for (var i = args.Length - 2; i >= 0; i--)
            {
                if (args[i] == "--" + name)
                {
                    return args[i + 1];
                }
            }

            return Environment.GetEnvironmentVariable("FLOWS_" + name.Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } value ? value : null;
        }

        bool Flag(string name) => args.Contains("--" + name) || Environment.GetEnvironmentVariable("FLOWS_" + name.Replace('-', '_').ToUpperInvariant()) == "1";

        int Number(string name, int fallback)
        {
            var text = Option(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, out var value) && value >= 0 ? value : throw new ArgumentException($"--{name} must be a whole number, not '{text}'.");
        }

        var assemblies = new List<string>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--assembly")
            {
                assemblies.Add(args[i + 1]);
            }
        }

        if (assemblies.Count == 0 && Environment.GetEnvironmentVariable("FLOWS_ASSEMBLY") is { Length: > 0 } fromEnvironment)
        {
            assemblies.AddRange(fromEnvironment.Split(';', StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var path in assemblies)
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"--assembly {path}: no such file. Point it at the user's build (the .dll with the [Task] methods).");
            }
        }

        var allowLoadByPath = Flag("allow-load-by-path");
        if (assemblies.Count == 0 && !allowLoadByPath)
        {
            throw new ArgumentException("at least one --assembly is needed: the user's assembly with the flows' tasks.");
        }

        var kubernetes = Flag("kubernetes");
        if (kubernetes)
        {
            // Refused now, with the package to add, rather than when the silo starts.
            _ = KubernetesHostingLoader.Load();
        }

        var siloPort = Number("silo-port", 11111);
        var advertise = Option("advertise") is { } address
            ? IPAddress.TryParse(address, out var parsed) ? parsed : throw new ArgumentException($"--advertise must be an IP address, not '{address}'.")
            : null;
        IPEndPoint? primary = null;
        if (Option("primary") is { } primaryText)
        {
            if (primaryText == "self")
            {
                advertise ??= FirstAddress();
                primary = new IPEndPoint(advertise, siloPort);
            }
            else if (!IPEndPoint.TryParse(primaryText, out primary) || primary.Port == 0)
            {
                throw new ArgumentException($"--primary must be HOST:PORT (an IP address and the primary silo's port) or 'self', not '{primaryText}'.");
            }
        }

        var redis = Option("redis");
        if (primary is null && redis is null && !kubernetes)
        {
            throw new ArgumentException("choose a membership: --redis HOST:PORT, or --primary HOST:PORT (static), or --kubernetes with --redis.");
        }

        ClusterTlsOptions? tls = null;
        ClusterSecret? secret = null;
        if (Flag("secret-from-stdin"))
        {
            // A local cluster's worker: the flow process writes the cluster's secret as the first line.
            secret = StdinSecret.Read(stdin ?? Console.In);
        }
        else if (Flag("tls-from-stdin"))
        {
            // A local cluster's worker: the flow process writes its certificate as the first line.
            tls = new ClusterTlsOptions { Certificate = StdinCertificate.Read(stdin ?? Console.In) };
        }
        else if (Option("tls-certificate") is { } certificatePath)
        {
            var passwordVariable = Option("tls-password-env") ?? "FLOWS_TLS_PASSWORD";
            var password = Environment.GetEnvironmentVariable(passwordVariable);
            tls = new ClusterTlsOptions { Certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password) };
        }

        // Listening on the network without TLS lets anyone who reaches the ports run tasks here.
        advertise ??= kubernetes ? null : FirstAddress();
        if (secret is not null && (advertise is null || !IPAddress.IsLoopback(advertise)))
        {
            throw new ArgumentException(
                $"{StdinSecret.Option} is for a cluster on loopback: a secret proves who connects but does not encrypt, and this worker would listen on the network (it advertises {advertise?.ToString() ?? "its pod's address"}). " +
                "Use --advertise 127.0.0.1, or TLS (--tls-certificate FILE.pfx) across machines.");
        }

        if (advertise is not null && !IPAddress.IsLoopback(advertise) && tls is null && !Flag("insecure"))
        {
            throw new ArgumentException(
                $"this worker would listen on every address of this machine (it advertises {advertise}) without TLS: anyone who reaches its ports " +
                "could run the tasks of its assemblies, with any arguments, as this user, and read their results. " +
                "Give it the cluster's certificate (--tls-certificate FILE.pfx, password in FLOWS_TLS_PASSWORD; clients then need ClusterConnectOptions.Tls), " +
                "or --advertise 127.0.0.1 for a cluster on this machine only, or, on a network where every machine and user is trusted, --insecure (FLOWS_INSECURE=1).");
        }

        var memoryLimit = MemoryLimitOption(Option("memory-limit"));
        var name = $"flows-worker-{Environment.MachineName}-{Environment.ProcessId}";
        return new WorkerLaunch
        {
            Silo = new SiloSpec
            {
                SiloName = name,
                ClusterId = Option("cluster-id") ?? "flows",
                ServiceId = Option("service-id") ?? "flows",
                Advertise = advertise ?? FirstAddress(),
                SiloPort = siloPort,
                GatewayPort = Number("gateway-port", 30000),
                Primary = primary,
                Redis = redis,
                Kubernetes = kubernetes,
                Tls = tls,
                Secret = secret,
                LocalFailureDetection = Flag("local-failure-detection"),
                ResponseTimeout = Number("response-timeout-ms", 0) is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null,
            },
            Settings = new WorkerSettings
            {
                Assemblies = assemblies,
                Threads = Math.Max(1, Number("threads", Environment.ProcessorCount)),
                AbandonedPerThread = Math.Max(0, Number("abandoned-per-thread", 4)),
                AllowLoadByPath = allowLoadByPath,
                MemoryLimit = memoryLimit,
                SpillRoot = Option("spill-dir"),
            },
            ExitWithParent = Flag("exit-with-parent"),
            JoinWhenTold = Flag("join-when-told"),
            LogLevel = Option("log-level") is { } level
                ? Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsedLevel) ? parsedLevel : throw new ArgumentException($"--log-level must be Trace, Debug, Information, Warning, Error or None, not '{level}'.")
                : LogLevel.Warning,
        };
    }

    /// <summary>
    /// The worker's memory limit in bytes from <c>--memory-limit</c> (or FLOWS_MEMORY_LIMIT); when neither
    /// is given, the container's cgroup limit, else the machine's memory. 0: no limit.
    /// </summary>
    internal static long MemoryLimitOption(string? text, Func<long>? available = null)
    {
        if (text is null || text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return (available ?? Memory.ContainerMemory.Available)();
        }

        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (!Memory.MemorySize.TryParse(text, out var bytes))
        {
            throw new ArgumentException(
                $"--memory-limit must be a size such as 4GiB, 512MiB, 500MB or 1073741824 (bytes), or none; '{text}' is not one.");
        }

        if (bytes is > 0 and < 32L << 20)
        {
            throw new ArgumentException(
                $"--memory-limit {text} is {Memory.MemorySize.Format(bytes)}: a worker needs more than 32 MiB for its runtime alone. Give it at least 64MiB, or none for no limit.");
        }

        return bytes;
    }

    private static IPAddress FirstAddress()
    {
        foreach (var address in Dns.GetHostAddresses(Dns.GetHostName()))
        {
            if (address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
            {
                return address;
            }
        }

        return IPAddress.Loopback;
    }
}
