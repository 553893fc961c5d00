using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Flows.Cluster.Hosting;

/// <summary>
/// Finds Orleans' Kubernetes hosting in the optional Flows.Cluster.Kubernetes assembly, which the app the worker runs
/// from carries when it references that package. It lives apart because it brings the Kubernetes client, which
/// flow processes never use; this is the one place the worker host reaches for it.
/// </summary>
internal static class KubernetesHostingLoader
{
    private const string AssemblyName = "Flows.Cluster.Kubernetes";
    private const string TypeName = "Flows.Cluster.Kubernetes.KubernetesSiloHosting";

    /// <summary>The configuration step, or an error that says which package to add.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Worker hosts are never trimmed; the type is looked up by its fixed name.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Worker hosts are never trimmed; the method is public and fixed.")]
    public static Action<ISiloBuilder> Load()
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(AssemblyName));
        }
        catch (FileNotFoundException)
        {
            throw new ArgumentException(
                "--kubernetes needs Orleans' Kubernetes hosting, which comes in the Flows.Cluster.Kubernetes package: " +
                "add it to the app whose publish output the workers run (dotnet add package Flows.Cluster.Kubernetes) and publish again. " +
                "It is not part of Flows.Cluster because it brings the Kubernetes client, which flow processes do not need.");
        }

        var configure = assembly.GetType(TypeName, throwOnError: true)!.GetMethod("Configure", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{AssemblyName} has no {TypeName}.Configure: it does not match this Flows.Cluster. Use the same version of both packages.");
        return configure.CreateDelegate<Action<ISiloBuilder>>();
    }
}
