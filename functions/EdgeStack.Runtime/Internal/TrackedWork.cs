namespace EdgeStack.Runtime.Internal;

/// <summary>A tracked task the tracker started itself: it has a token to cancel at its timeout or drain's end, and may be handed off.</summary>
internal sealed class TrackedWork(BackgroundTaskTracker owner, string? name, Task tracked, CancellationTokenSource cancellation, Func<CancellationToken, Task>? handOff)
    : TrackedTask(owner, name, tracked)
{
    public override CancellationTokenSource? Cancellation { get; } = cancellation;

    public override Func<CancellationToken, Task>? HandOff { get; } = handOff;
}
