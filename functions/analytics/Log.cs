namespace EdgeStack.Functions.Analytics;

/// <summary>The analytics sink's log events (ids 210–219).</summary>
internal static partial class Log
{
    [LoggerMessage(210, LogLevel.Debug, "Stored {EventCount} events.", EventName = "EventsStored")]
    public static partial void EventsStored(ILogger logger, int eventCount);

    [LoggerMessage(211, LogLevel.Error, "Could not store {EventCount} events; the request was refused.", EventName = "EventsNotStored")]
    public static partial void EventsNotStored(ILogger logger, int eventCount, Exception exception);
}
