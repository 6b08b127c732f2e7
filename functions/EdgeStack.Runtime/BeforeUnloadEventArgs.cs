namespace EdgeStack.Runtime;

/// <summary>Carries why the instance is stopping and how long background work has left.</summary>
/// <param name="reason">Why the instance is stopping.</param>
/// <param name="timeLeft">Time until the drain budget ends and remaining background tasks are cancelled.</param>
public sealed class BeforeUnloadEventArgs(ShutdownReason reason, TimeSpan timeLeft) : EventArgs
{
    /// <summary>Gets why the instance is stopping.</summary>
    public ShutdownReason Reason { get; } = reason;

    /// <summary>Gets the time until the drain budget ends and remaining background tasks are cancelled.</summary>
    public TimeSpan TimeLeft { get; } = timeLeft;

    /// <summary>Gets Supabase's name for <see cref="Reason"/>, as <c>ev.detail.reason</c> carries it.</summary>
    public string ReasonName => Reason.ToWireName();
}
