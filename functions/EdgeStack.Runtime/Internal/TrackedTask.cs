namespace EdgeStack.Runtime.Internal;

/// <summary>One background task in the tracker's list: an intrusive node, so tracking allocates this object and its callback only.</summary>
internal sealed class TrackedTask
{
    public const int Running = 0;
    public const int TimedOut = 1;
    public const int Abandoned = 2;

    private readonly BackgroundTaskTracker _owner;

    public TrackedTask(BackgroundTaskTracker owner, string? name, CancellationTokenSource? cancellation, Func<CancellationToken, Task>? handOff)
    {
        _owner = owner;
        Name = name;
        Cancellation = cancellation;
        HandOff = handOff;
        OnCompletedCallback = OnCompleted;
    }

    public string? Name { get; }

    public string DisplayName => Name ?? "(unnamed)";

    /// <summary>Gets or sets the <see cref="TimeProvider.GetTimestamp"/> at which the task times out; set under the tracker's lock, so the list stays in deadline order.</summary>
    public long Deadline { get; set; }

    public CancellationTokenSource? Cancellation { get; }

    /// <summary>Gets what gives the work back to the queue if drain abandons it; null for work that is not durable.</summary>
    public Func<CancellationToken, Task>? HandOff { get; }

    public Action OnCompletedCallback { get; }

    public Task Task { get; set; } = Task.CompletedTask;

    /// <summary>Gets the task the caller holds: it completes as <see cref="Task"/> does, once the tracker has settled it, so an awaiter never sees a fault before its observation window opens.</summary>
    public TaskCompletionSource Visible { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets <see cref="Running"/>, <see cref="TimedOut"/> or <see cref="Abandoned"/>; guarded by the tracker's lock.</summary>
    public int State { get; set; }

    public TrackedTask? Previous { get; set; }

    public TrackedTask? Next { get; set; }

    private int _completed;

    /// <summary>Reports completion to the tracker once, whether the continuation or <see cref="BackgroundTaskTracker.Track"/> gets there first.</summary>
    private void OnCompleted()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _owner.OnCompleted(this);
        }
    }
}
