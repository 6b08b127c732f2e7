namespace EdgeStack.Runtime;

/// <summary>The background-task runtime of a function instance: the injectable form of <see cref="EdgeRuntime"/>.</summary>
public interface IEdgeRuntime
{
    /// <summary>Raised once, just before the instance stops, with the reason and the time background work has left.</summary>
    /// <remarks>Handlers run on the thread pool beside the stop, never in its way: like background tasks they get the drain budget, and one still running when it ends is logged by name and left behind.</remarks>
    event EventHandler<BeforeUnloadEventArgs>? BeforeUnload;

    /// <summary>Raised once for each tracked background task that faults and that nobody awaits within a second.</summary>
    event EventHandler<UnhandledRejectionEventArgs>? UnhandledRejection;

    /// <summary>Gets whether the instance takes traffic: started and not stopping.</summary>
    bool IsReady { get; }

    /// <summary>Gets the number of background tasks that have not settled yet.</summary>
    int PendingTaskCount { get; }

    /// <summary>Tracks a running task so the instance stays up until it settles, within the drain budget.</summary>
    /// <param name="task">The task; it is not awaited by the caller's response.</param>
    /// <param name="name">A name for logs, metrics and the abandoned-task report.</param>
    /// <returns>A task that completes as <paramref name="task"/> does; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    Task WaitUntil(Task task, string? name = null);

    /// <summary>Starts work on the thread pool and tracks it; its token fires at the task timeout or at the end of the drain budget.</summary>
    /// <param name="work">The work, given the token to observe.</param>
    /// <param name="name">A name for logs, metrics and the abandoned-task report.</param>
    /// <returns>The task running the work; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    Task WaitUntil(Func<CancellationToken, Task> work, string? name = null);

    /// <summary>Like <see cref="WaitUntil(Func{CancellationToken, Task}, string?)"/>, in a dependency injection scope of its own that outlives the request.</summary>
    /// <param name="work">The work, given the scope's services and the token to observe.</param>
    /// <param name="name">A name for logs, metrics and the abandoned-task report.</param>
    /// <returns>The task running the work; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    Task WaitUntilScoped(Func<IServiceProvider, CancellationToken, Task> work, string? name = null);

    /// <summary>Writes durable work to the queue, then runs its handler in the background; what drain cannot finish goes back to the queue for the worker.</summary>
    /// <param name="handler">The name the handler was registered with through <see cref="DurableWorkServiceCollectionExtensions.AddDurableWorkHandler{THandler}"/>.</param>
    /// <param name="payload">The work's input; the queue decides how large payloads are carried.</param>
    /// <param name="cancellationToken">Cancels the write to the queue, not the work.</param>
    /// <returns>A task that completes once the work is durable, with the background task running it.</returns>
    Task<Task> WaitUntilDurableAsync(string handler, string payload, CancellationToken cancellationToken = default);

    /// <summary>Runs durable work already on the queue in the background: completes it on success, fails it back to the queue on error, hands it back at once when drain abandons it.</summary>
    /// <param name="item">The work item.</param>
    /// <param name="receipt">The queue's receipt for the item.</param>
    /// <returns>The task running the work; a caller that awaits it (and so sees a fault) handles the fault, which then raises no <see cref="UnhandledRejection"/>.</returns>
    Task RunDurable(DurableWorkItem item, DurableWorkReceipt receipt);

    /// <summary>Retires the instance gracefully: raises <see cref="BeforeUnload"/> with the reason, turns readiness off and drains.</summary>
    /// <param name="reason">Why the instance retires.</param>
    void Retire(ShutdownReason reason);
}
