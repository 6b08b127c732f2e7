namespace EdgeStack.Runtime.Internal;

/// <summary>What became of the background work drain gave up on: lost (cancelled, not recoverable) or handed off to the queue (finished elsewhere).</summary>
/// <param name="Lost">Abandoned tasks that were not handed off.</param>
/// <param name="HandedOff">Abandoned durable tasks handed back to the queue.</param>
internal readonly record struct DrainOutcome(int Lost, int HandedOff)
{
    public static DrainOutcome operator +(DrainOutcome left, DrainOutcome right) => new(left.Lost + right.Lost, left.HandedOff + right.HandedOff);
}
