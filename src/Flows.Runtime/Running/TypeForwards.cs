using System.Runtime.CompilerServices;

// Types that moved to Flows.Abstractions, where task code (Outcome<T>) needs them; code built
// against an earlier Flows.Runtime still finds them.
[assembly: TypeForwardedTo(typeof(Flows.TaskState))]
[assembly: TypeForwardedTo(typeof(Flows.RemoteTaskException))]
