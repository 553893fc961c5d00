using System.Reflection;
using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>Worker processes find tasks only through the registry: a task missing from it fails only on the ProcessExecutor, late.</summary>
public sealed class TestTaskRegistryTests : TaskRegistryTests<TestTaskRegistry>;

/// <summary>
/// The checks of a test assembly's one task registry, <typeparamref name="TRegistry"/>: it is the one the assembly
/// names, and it lists every static task with a codec declared there. Each test assembly that declares tasks
/// derives a class from this one.
/// </summary>
public abstract class TaskRegistryTests<TRegistry>
    where TRegistry : ITaskRegistry, new()
{
    [Fact]
    public void The_assembly_names_the_registry_once()
    {
        var attribute = Assert.Single(typeof(TRegistry).Assembly.GetCustomAttributes<TaskRegistryAttribute>());
        Assert.Equal(typeof(TRegistry), attribute.RegistryType);
    }

    [Fact]
    public void Every_static_task_with_a_codec_is_registered_once_by_its_id()
    {
        var registry = new TRegistry();
        var declared = typeof(TRegistry).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => f.FieldType == typeof(TaskDescriptor))
            .Select(f => (TaskDescriptor)f.GetValue(null)!)
            .Where(t => t.Codec is not null)
            .Distinct()
            .ToList();

        Assert.NotEmpty(declared);
        Assert.All(declared, t => Assert.Same(t, registry.Find(t.Id)));
        Assert.Equal(registry.Tasks.Count, registry.Tasks.Select(t => t.Id).Distinct().Count());
        Assert.All(registry.Tasks, t => Assert.NotNull(t.Codec));
    }

    [Fact]
    public void Registered_invokers_capture_no_test_state()
    {
        // A static lambda compiles to a method of the compiler's per-type singleton (<>c); a
        // capturing one would have a closure (<>c__DisplayClass...) as its target.
        Assert.All(new TRegistry().Tasks, t =>
            Assert.True(t.Invoke.Target is null || t.Invoke.Target.GetType().Name == "<>c", $"{t.Id} has a capturing invoker"));
    }
}
