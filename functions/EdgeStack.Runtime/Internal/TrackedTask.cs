namespace EdgeStack.Runtime.Internal;

/// <summary>
/// One background task in the tracker's list: an intrusive node, so tracking allocates this object, its callback and the
/// task the caller holds only. It is that task's source: the caller's task completes as the tracked one does, once the
/// tracker has settled it, so an awaiter never sees a fault before its observation window opens.
/// </summary>
internal sealed class TrackedTask : TaskCompletionSource
{
    public const int Running = 0;
    public const int TimedOut = 1;
    public const int Abandoned = 2;

    private readonly BackgroundTaskTracker _owner;

    public TrackedTask(BackgroundTaskTracker owner, string? name, CancellationTokenSource? cancellation, Func<CancellationToken, Task>? handOff)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _owner = owner;
        Name = name;
        Cancellation = cancellation;
        HandOff = handOff;
    }

    public string? Name { get; }

    public string DisplayName => Name ?? "(unnamed)";

    /// <summary>Gets or sets the <see cref="TimeProvider.GetTimestamp"/> at which the task times out; set under the tracker's lock, so the list stays in deadline order.</summary>
    public long Deadline { get; set; }

    public CancellationTokenSource? Cancellation { get; }

    /// <summary>Gets what gives the work back to the queue if drain abandons it; null for work that is not durable.</summary>
    public Func<CancellationToken, Task>? HandOff { get; }

    /// <summary>Gets or sets the tracked task (<see cref="TaskCompletionSource.Task"/> is the one the caller holds).</summary>
    public Task Tracked { get; set; } = Task.CompletedTask;

    /// <summary>Gets or sets <see cref="Running"/>, <see cref="TimedOut"/> or <see cref="Abandoned"/>; guarded by the tracker's lock.</summary>
    public int State { get; set; }

    public TrackedTask? Previous { get; set; }

    public TrackedTask? Next { get; set; }

    /// <summary>The continuation on <see cref="Tracked"/>: reports its completion to the tracker.</summary>
    public void OnCompleted() => _owner.OnCompleted(this);
}
