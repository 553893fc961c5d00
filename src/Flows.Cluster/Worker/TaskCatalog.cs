using System.Collections.Concurrent;
using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Workers;

namespace Flows.Cluster.Worker;

/// <summary>The task assemblies a worker holds, and their tasks by id.</summary>
internal sealed class TaskCatalog
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (ITaskRegistry Registry, Guid Build, string Path)> _assemblies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskDescriptor> _tasks = new(StringComparer.Ordinal);
    private readonly bool _allowLoadByPath;

    public TaskCatalog(WorkerSettings settings)
    {
        _allowLoadByPath = settings.AllowLoadByPath;
        foreach (var path in settings.Assemblies)
        {
            var (registry, build, error) = TaskAssemblies.Load(path, expectedBuild: null);
            if (registry is null)
            {
                throw new InvalidOperationException($"Flows worker: {error}.");
            }

            Add(Path.GetFileNameWithoutExtension(path), registry, build, path);
        }
    }

    /// <summary>The names of the assemblies held, with their builds.</summary>
    public IReadOnlyList<string> Describe()
    {
        lock (_gate)
        {
            return _assemblies.Select(a => $"{a.Key} (build {a.Value.Build})").ToList();
        }
    }

    /// <summary>Checks (and, for a local cluster, loads) the builds a client runs; null when all match.</summary>
    public string? Prepare(AssemblyBuild[] builds, string workerName)
    {
        foreach (var wanted in builds)
        {
            lock (_gate)
            {
                if (_assemblies.TryGetValue(wanted.Name, out var held))
                {
                    if (held.Build != wanted.Build)
                    {
                        return $"worker {workerName} holds another build of {wanted.Name} (build {held.Build}, from {held.Path}) than the flow process runs (build {wanted.Build}). " +
                            "Deploy the same build to the workers and the flow process, and restart the workers";
                    }

                    continue;
                }

                if (!_allowLoadByPath || wanted.Path is null)
                {
                    return $"worker {workerName} does not hold {wanted.Name}: start it with --assembly pointing at the same build of {wanted.Name}.dll the flow process runs";
                }

                var (registry, build, error) = TaskAssemblies.Load(wanted.Path, wanted.Build);
                if (registry is null)
                {
                    return error;
                }

                Add(wanted.Name, registry, build, wanted.Path);
            }
        }

        return null;
    }

    /// <summary>The task with <paramref name="taskId"/>, or null when no held assembly has it.</summary>
    public TaskDescriptor? Find(string taskId) => _tasks.TryGetValue(taskId, out var task) ? task : null;

    private void Add(string name, ITaskRegistry registry, Guid build, string path)
    {
        _assemblies[name] = (registry, build, path);
        foreach (var task in registry.Tasks)
        {
            _tasks.TryAdd(task.Id, task);
        }
    }
}
