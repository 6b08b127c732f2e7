namespace EdgeStack.Functions.Tally;

/// <summary>The tally function's log events (ids 200–209).</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "Item {ItemId} counted.", EventName = "Counted")]
    public static partial void Counted(ILogger logger, string itemId);

    [LoggerMessage(201, LogLevel.Information, "Item {ItemId} was already counted.", EventName = "AlreadyCounted")]
    public static partial void AlreadyCounted(ILogger logger, string itemId);
}
