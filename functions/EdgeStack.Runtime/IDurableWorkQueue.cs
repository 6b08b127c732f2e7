namespace EdgeStack.Runtime;

/// <summary>The durable store behind <see cref="IEdgeRuntime.WaitUntilDurableAsync"/>: a queue with hidden, leased messages.</summary>
public interface IDurableWorkQueue
{
    /// <summary>Writes the item durably, hidden from other consumers for <paramref name="invisibleFor"/>.</summary>
    /// <param name="item">The work item.</param>
    /// <param name="invisibleFor">How long the item stays hidden while this instance runs it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The receipt that completes, fails or releases the item.</returns>
    Task<DurableWorkReceipt> EnqueueAsync(DurableWorkItem item, TimeSpan invisibleFor, CancellationToken cancellationToken);

    /// <summary>Removes the finished item from the queue.</summary>
    /// <param name="receipt">The item's receipt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the item is gone.</returns>
    Task CompleteAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken);

    /// <summary>Makes the item visible at once, for another consumer to run (the drain hand-off).</summary>
    /// <param name="receipt">The item's receipt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the item is visible.</returns>
    Task ReleaseAsync(DurableWorkReceipt receipt, CancellationToken cancellationToken);

    /// <summary>Records a failed run: the item is retried later with backoff, or moved to the poison queue with the reason once it failed too often.</summary>
    /// <param name="item">The work item.</param>
    /// <param name="receipt">The item's receipt.</param>
    /// <param name="reason">Why the run failed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the failure is recorded.</returns>
    Task FailAsync(DurableWorkItem item, DurableWorkReceipt receipt, string reason, CancellationToken cancellationToken);
}
