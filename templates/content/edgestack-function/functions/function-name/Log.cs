namespace EdgeStack.Functions.FunctionPascal;

/// <summary>The function-name function's log events (ids 300-309).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Answered {Target}; the work after the answer is done.", EventName = "AnsweredInBackground")]
    public static partial void AnsweredInBackground(ILogger logger, string target);
//#if (kind == "queue")

    [LoggerMessage(301, LogLevel.Information, "Work {WorkName} is queued.", EventName = "WorkQueued")]
    public static partial void WorkQueued(ILogger logger, string workName);

    [LoggerMessage(302, LogLevel.Error, "Work could not be queued; it was refused.", EventName = "WorkNotQueued")]
    public static partial void WorkNotQueued(ILogger logger, Exception exception);

    [LoggerMessage(303, LogLevel.Information, "Work {WorkName} (item {WorkId}) is done.", EventName = "WorkDone")]
    public static partial void WorkDone(ILogger logger, string workName, string workId);
//#endif
}
