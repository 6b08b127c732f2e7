using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure.Internal;

/// <summary>The Azure wiring's log events; ids are fixed (100–199) and tests assert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Warning, "Could not make sure storage resource {Resource} exists; it is expected to exist already.", EventName = "StorageResourceCheckFailed")]
    public static partial void StorageResourceCheckFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(101, LogLevel.Warning, "Work {WorkId} (message {MessageId}, handler {Handler}) moved to the poison queue after {DequeueCount} dequeues: {Reason}", EventName = "WorkPoisoned")]
    public static partial void WorkPoisoned(ILogger logger, string workId, string messageId, string handler, long dequeueCount, string reason);

    [LoggerMessage(102, LogLevel.Information, "Work {WorkId} (handler {Handler}) failed on dequeue {DequeueCount}; retrying in {DelayMs} ms.", EventName = "WorkRetryScheduled")]
    public static partial void WorkRetryScheduled(ILogger logger, string workId, string handler, long dequeueCount, long delayMs);

    [LoggerMessage(103, LogLevel.Warning, "Could not delete the staged payload {PayloadReference} of completed work.", EventName = "StagedPayloadDeleteFailed")]
    public static partial void StagedPayloadDeleteFailed(ILogger logger, string payloadReference, Exception exception);

    [LoggerMessage(104, LogLevel.Warning, "Receiving from the queue failed; retrying in {DelayMs} ms.", EventName = "ReceiveFailed")]
    public static partial void ReceiveFailed(ILogger logger, long delayMs, Exception exception);

    [LoggerMessage(105, LogLevel.Debug, "Received work {WorkId} (message {MessageId}, handler {Handler}, dequeue {DequeueCount}).", EventName = "WorkReceived")]
    public static partial void WorkReceived(ILogger logger, string workId, string messageId, string handler, long dequeueCount);

    [LoggerMessage(106, LogLevel.Warning, "The analytics buffer is full: {DroppedEvents} events dropped since the last report.", EventName = "AnalyticsEventsDropped")]
    public static partial void AnalyticsEventsDropped(ILogger logger, long droppedEvents);

    [LoggerMessage(107, LogLevel.Warning, "Sending {EventCount} analytics events failed after {Attempts} attempts; they are dropped.", EventName = "AnalyticsSendFailed")]
    public static partial void AnalyticsSendFailed(ILogger logger, int eventCount, int attempts, Exception? exception);

    [LoggerMessage(108, LogLevel.Information, "Analytics is off: Analytics:Endpoint is not set.", EventName = "AnalyticsDisabled")]
    public static partial void AnalyticsDisabled(ILogger logger);



    [LoggerMessage(112, LogLevel.Debug, "Sent {EventCount} analytics events.", EventName = "AnalyticsBatchSent")]
    public static partial void AnalyticsBatchSent(ILogger logger, int eventCount);

    // Debug, and never the raw path: an unauthenticated caller chooses the path (control characters in a plain console,
    // ingestion cost in Azure). The route pattern is the app's own text; rejections are counted in a metric instead.
    [LoggerMessage(113, LogLevel.Debug, "Request to route {Route} refused: {Problem}", EventName = "KeyRejected")]
    public static partial void KeyRejected(ILogger logger, string route, string problem);

    [LoggerMessage(114, LogLevel.Debug, "Work {WorkId} payload ({Bytes} bytes) staged as {PayloadReference}.", EventName = "PayloadStaged")]
    public static partial void PayloadStaged(ILogger logger, string workId, long bytes, string payloadReference);

    [LoggerMessage(115, LogLevel.Information, "Consuming queue {Queue}: up to {MaxConcurrency} items and {MaxInFlightBytes} payload bytes at once, each hidden for {VisibilityMs} ms.", EventName = "ConsumerStarted")]
    public static partial void ConsumerStarted(ILogger logger, string queue, int maxConcurrency, long maxInFlightBytes, long visibilityMs);

    [LoggerMessage(116, LogLevel.Information, "Stopped receiving from queue {Queue}; {InFlight} items still running go through drain.", EventName = "ConsumerStopped")]
    public static partial void ConsumerStopped(ILogger logger, string queue, int inFlight);

    [LoggerMessage(117, LogLevel.Information, "Work {WorkId} was already completed or its lease moved on; nothing to delete.", EventName = "WorkAlreadyGone")]
    public static partial void WorkAlreadyGone(ILogger logger, string workId);

    [LoggerMessage(118, LogLevel.Debug, "Work {WorkId} ({Bytes} payload bytes) waits: {HeldBytes} of {MaxInFlightBytes} bytes are held.", EventName = "WorkWaitsForBudget")]
    public static partial void WorkWaitsForBudget(ILogger logger, string workId, long bytes, long heldBytes, long maxInFlightBytes);
}
