namespace EdgeStack.Functions.ScheduledFunction;

/// <summary>The function's log events, with fixed ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Run finished at {FinishedAt}.", EventName = "RunFinished")]
    public static partial void RunFinished(ILogger logger, DateTimeOffset finishedAt);
}
