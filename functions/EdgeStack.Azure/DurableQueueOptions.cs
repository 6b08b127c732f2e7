using EdgeStack.Contracts;

namespace EdgeStack.Azure;

/// <summary>How a function's work queue (<c>&lt;name&gt;-jobs</c>) carries its durable work, retries it and gives up on it.</summary>
/// <remarks>
/// <para>Bound from the <c>Jobs</c> section (<see cref="SettingNames"/>), validated at start.</para>
/// <para>
/// A message holds at most 64 KiB, and messages are Base64-encoded, so a work item whose envelope is larger
/// than <see cref="InlinePayloadLimitBytes"/> is staged first: its payload is written to the <c>uploads</c>
/// container under <c>staging/&lt;name&gt;/</c> before the message is sent (and so before the function answers), the message
/// carries the blob's name, and the blob is deleted when the work completes. A poisoned item keeps its staged blob.
/// </para>
/// <para>
/// A failed run is retried after <see cref="RetryBaseDelaySeconds"/> doubled per dequeue, at most
/// <see cref="MaxRetryDelaySeconds"/>; once the queue has handed the message out <see cref="MaxDequeueCount"/>
/// times, the next failure moves it to <c>&lt;name&gt;-jobs-poison</c> with the reason.
/// </para>
/// </remarks>
public sealed class DurableQueueOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = SettingNames.JobsSection;

    /// <summary>The largest envelope, in UTF-8 bytes, sent inside the message: 48 KiB, which Base64 turns into 64 KiB.</summary>
    public const int MaxInlinePayloadBytes = 48 * 1024;

    /// <summary>The default <see cref="MaxInFlightPayloadBytes"/>: 16 MiB, which a 0.5 Gi replica holds with room to spare even as UTF-16 strings.</summary>
    public const long DefaultMaxInFlightPayloadBytes = 16L * 1024 * 1024;

    /// <summary>The largest <see cref="MaxInFlightPayloadBytes"/> accepted: 1 GiB.</summary>
    public const long MaxInFlightPayloadLimit = 1024L * 1024 * 1024;

    /// <summary>Gets or sets how many times the queue may hand a message out before a failure poisons it (default 5).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Gets or sets the first retry delay in seconds, doubled per dequeue and rounded up to whole seconds (default 2).</summary>
    public double RetryBaseDelaySeconds { get; set; } = 2;

    /// <summary>Gets or sets the longest retry delay in seconds (default 300).</summary>
    public double MaxRetryDelaySeconds { get; set; } = 300;

    /// <summary>Gets or sets the largest envelope carried inline; larger payloads are staged in blob storage (default and maximum 48 KiB).</summary>
    public int InlinePayloadLimitBytes { get; set; } = MaxInlinePayloadBytes;

    /// <summary>Gets or sets how many items from the queue the function's consumer runs at once (default 16).</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Gets or sets the most payload bytes (UTF-8) the consumer holds at once across the items it runs (default 16 MiB).</summary>
    /// <remarks>
    /// A received item waits, its message still hidden (the lease renewed while it waits), until running it keeps the
    /// held bytes within the budget; no further message is received meanwhile. A staged payload is downloaded only once
    /// admitted. Payloads larger than the budget are refused when enqueued; one queued under a larger budget runs alone.
    /// </remarks>
    public long MaxInFlightPayloadBytes { get; set; } = DefaultMaxInFlightPayloadBytes;

    /// <summary>Gets or sets the longest pause between polls of an empty queue, in milliseconds (default 1000).</summary>
    public int MaxPollIntervalMilliseconds { get; set; } = 1000;
}
