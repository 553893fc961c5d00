using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Calls one task method with its inputs. Generated per task; never built by reflection.
/// </summary>
/// <returns>
/// The task's result (boxed) for a synchronous task; for an asynchronous task, the
/// <see cref="System.Threading.Tasks.Task"/> the method returned, which the runtime awaits and
/// unwraps with <see cref="TaskDescriptor.AsyncResult"/>.
/// </returns>
/// <remarks>Called by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate object? TaskInvoker(in TaskArguments arguments, CancellationToken cancellationToken);
