namespace EdgeStack.Runtime.Internal;

/// <summary>
/// One background task in the tracker's list: an intrusive node, so tracking allocates this object, its callback and the
/// task the caller holds only. It is that task's source: the caller's task completes as the tracked one does, once the
/// tracker has settled it, so an awaiter never sees a fault before its observation window opens.
/// </summary>
/// <remarks>
/// Kept to 72 bytes, so tracking a running task costs at most 200 B with its callback (64) and the caller's task (64):
/// the deadline and the state share one field, and what only started work has (its token, its hand-off) is in
/// <see cref="TrackedWork"/>.
/// </remarks>
internal class TrackedTask : TaskCompletionSource
{
    public const int Running = 0;
    public const int TimedOut = 1;
    public const int Abandoned = 2;

    // The state in the two low bits, the deadline in the rest: a deadline rounded down by at most 3 timestamp ticks (ns).
    private const long StateMask = 3;

    private readonly BackgroundTaskTracker _owner;
    private long _deadlineAndState;

    public TrackedTask(BackgroundTaskTracker owner, string? name, Task tracked)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _owner = owner;
        Name = name;
        Tracked = tracked;
    }

    public string? Name { get; }

    public string DisplayName => Name ?? "(unnamed)";

    /// <summary>Gets or sets the <see cref="TimeProvider.GetTimestamp"/> at which the task times out; set under the tracker's lock, so the list stays in deadline order.</summary>
    public long Deadline
    {
        get => _deadlineAndState & ~StateMask;
        set => _deadlineAndState = (value & ~StateMask) | (_deadlineAndState & StateMask);
    }

    /// <summary>Gets or sets <see cref="Running"/>, <see cref="TimedOut"/> or <see cref="Abandoned"/>; guarded by the tracker's lock.</summary>
    public int State
    {
        get => (int)(_deadlineAndState & StateMask);
        set => _deadlineAndState = (_deadlineAndState & ~StateMask) | (value & StateMask);
    }

    /// <summary>Gets the source of the token the work was started with, or null for a task that was already running.</summary>
    public virtual CancellationTokenSource? Cancellation => null;

    /// <summary>Gets what gives the work back to the queue if drain abandons it; null for work that is not durable.</summary>
    public virtual Func<CancellationToken, Task>? HandOff => null;

    /// <summary>Gets the tracked task (<see cref="TaskCompletionSource.Task"/> is the one the caller holds).</summary>
    public Task Tracked { get; private protected set; }

    public TrackedTask? Previous { get; set; }

    public TrackedTask? Next { get; set; }

    /// <summary>The continuation on <see cref="Tracked"/>: reports its completion to the tracker.</summary>
    public void OnCompleted() => _owner.OnCompleted(this);
}
