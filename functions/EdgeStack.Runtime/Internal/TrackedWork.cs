using System.Runtime.ExceptionServices;

namespace EdgeStack.Runtime.Internal;

/// <summary>
/// A tracked task the tracker starts itself: it has a token to cancel at its timeout or drain's end, may be handed off,
/// and is started with this node as its state, so starting it allocates no closure or delegate of its own.
/// </summary>
internal sealed class TrackedWork : TrackedTask
{
    private Func<CancellationToken, Task>? _work;

    public TrackedWork(BackgroundTaskTracker owner, string? name, Func<CancellationToken, Task> work, Func<CancellationToken, Task>? handOff)
        : base(owner, name, Task.CompletedTask)
    {
        _work = work;
        Cancellation = new CancellationTokenSource();
        HandOff = handOff;
    }

    public override CancellationTokenSource Cancellation { get; }

    public override Func<CancellationToken, Task>? HandOff { get; }

    /// <summary>Starts the work on the thread pool as <see cref="Task.Run(Func{Task})"/> does (execution context flowed, no child attach).</summary>
    /// <returns>The work's task, now <see cref="TrackedTask.Tracked"/>.</returns>
    public Task Start()
    {
        Tracked = Task.Factory
            .StartNew(static state => ((TrackedWork)state!).Invoke(), this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default)
            .Unwrap();
        return Tracked;
    }

    private Task Invoke()
    {
        // Released once started, as Task.Run releases its delegate: what the work captured is not held by this node.
        var work = _work!;
        _work = null;
        try
        {
            return work(Cancellation.Token);
        }
        catch (OperationCanceledException exception)
        {
            // As with Task.Run: work that throws OperationCanceledException before it returns a task ends cancelled, not faulted.
            return CancelledAsync(exception);
        }
    }

    private static async Task CancelledAsync(OperationCanceledException exception)
    {
        // An async method that throws OperationCanceledException ends cancelled, with this exception and its stack.
        await Task.CompletedTask;
        ExceptionDispatchInfo.Throw(exception);
    }
}
