namespace EdgeStack.Runtime;

/// <summary>The queue's proof of holding a work item: what completes, fails or releases it.</summary>
/// <param name="MessageId">The queue message's id.</param>
/// <param name="LeaseToken">The token of the current lease on the message (a pop receipt).</param>
/// <param name="PayloadReference">Where a payload too large for a message was staged, if it was.</param>
public sealed record DurableWorkReceipt(string MessageId, string LeaseToken, string? PayloadReference = null);
