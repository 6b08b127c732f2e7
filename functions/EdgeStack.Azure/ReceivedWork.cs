using EdgeStack.Runtime;

namespace EdgeStack.Azure;

/// <summary>A message taken from a function's work queue: the work it carries, or why it cannot be run.</summary>
/// <param name="Receipt">The lease on the message.</param>
/// <param name="MessageText">The message text, decoded.</param>
/// <param name="DequeueCount">How many times the queue has handed the message out, this time included.</param>
/// <param name="Item">The work item, when the message could be read.</param>
/// <param name="Problem">Why the message cannot be run, when it could not be read.</param>
public sealed record ReceivedWork(DurableWorkReceipt Receipt, string MessageText, long DequeueCount, DurableWorkItem? Item, string? Problem)
{
    /// <summary>Gets the payload's size in UTF-8 bytes: what running the item holds in memory, staged or inline.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>Gets a value indicating whether the payload is still staged (received with <see cref="AzureQueueDurableWorkQueue.ReceiveUnloadedAsync"/>): the item's payload is empty until <see cref="AzureQueueDurableWorkQueue.LoadPayloadAsync"/>.</summary>
    public bool PayloadPending { get; init; }
}
