namespace EdgeStack.Runtime;

/// <summary>
/// The static façade of the process's runtime, like Supabase's global <c>EdgeRuntime</c>: one app per process.
/// Libraries and tests take <see cref="IEdgeRuntime"/> from dependency injection instead.
/// </summary>
public static class EdgeRuntime
{
    private static IEdgeRuntime? s_current;

    /// <summary>Gets the runtime of the app running in this process.</summary>
    /// <exception cref="InvalidOperationException">No app with the runtime has been built.</exception>
    public static IEdgeRuntime Current => Volatile.Read(ref s_current)
        ?? throw new InvalidOperationException("No EdgeStack runtime runs in this process: call builder.AddEdgeRuntime(), build the app, then app.MapEdgeRuntime().");

    /// <summary>Raised once, just before the instance stops, with the reason and the time background work has left.</summary>
    /// <remarks>Handlers run on the thread pool beside the stop, never in its way: like background tasks they get the drain budget, and one still running when it ends is logged by name and left behind.</remarks>
    public static event EventHandler<BeforeUnloadEventArgs>? BeforeUnload
    {
        add => Current.BeforeUnload += value;
        remove => Current.BeforeUnload -= value;
    }

    /// <summary>Raised once for each tracked background task that faults and that nobody awaits within a second; set <see cref="UnhandledRejectionEventArgs.Handled"/> to handle it.</summary>
    public static event EventHandler<UnhandledRejectionEventArgs>? UnhandledRejection
    {
        add => Current.UnhandledRejection += value;
        remove => Current.UnhandledRejection -= value;
    }

    /// <summary>Tracks a running task so the instance stays up until it settles, within the drain budget.</summary>
    /// <param name="task">The task.</param>
    /// <param name="name">A name for logs and metrics.</param>
    /// <returns>A task that completes as <paramref name="task"/> does; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    public static Task WaitUntil(Task task, string? name = null) => Current.WaitUntil(task, name);

    /// <summary>Starts work on the thread pool and tracks it; its token fires at the task timeout or at the end of the drain budget.</summary>
    /// <param name="work">The work.</param>
    /// <param name="name">A name for logs and metrics.</param>
    /// <returns>The task running the work; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    public static Task WaitUntil(Func<CancellationToken, Task> work, string? name = null) => Current.WaitUntil(work, name);

    /// <summary>Starts work in a dependency injection scope of its own, which outlives the request, and tracks it.</summary>
    /// <param name="work">The work.</param>
    /// <param name="name">A name for logs and metrics.</param>
    /// <returns>The task running the work; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    public static Task WaitUntilScoped(Func<IServiceProvider, CancellationToken, Task> work, string? name = null) => Current.WaitUntilScoped(work, name);

    internal static void Attach(IEdgeRuntime runtime) => Volatile.Write(ref s_current, runtime);

    internal static void Detach(IEdgeRuntime runtime) => Interlocked.CompareExchange(ref s_current, null, runtime);
}
