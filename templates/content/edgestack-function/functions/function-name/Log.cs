namespace EdgeStack.Functions.FunctionPascal;

/// <summary>The function-name function's log events (ids 300-309).</summary>
internal static partial class Log
{
//#if (kind == "scheduled")
    [LoggerMessage(300, LogLevel.Information, "Run done at {FinishedAt}.", EventName = "RunDone")]
    public static partial void RunDone(ILogger logger, string finishedAt);

    [LoggerMessage(301, LogLevel.Information, "Follow-up of the run done at {FinishedAt} is done.", EventName = "FollowUpDone")]
    public static partial void FollowUpDone(ILogger logger, string finishedAt);
//#else
    [LoggerMessage(300, LogLevel.Information, "Answered {Target}; the work after the answer is done.", EventName = "AnsweredInBackground")]
    public static partial void AnsweredInBackground(ILogger logger, string target);
//#endif
//#if (kind == "queue")

    [LoggerMessage(301, LogLevel.Information, "Work {WorkName} is queued.", EventName = "WorkQueued")]
    public static partial void WorkQueued(ILogger logger, string workName);

    [LoggerMessage(302, LogLevel.Error, "Work could not be queued; it was refused.", EventName = "WorkNotQueued")]
    public static partial void WorkNotQueued(ILogger logger, Exception exception);

    [LoggerMessage(303, LogLevel.Information, "Work {WorkName} (item {WorkId}) is done.", EventName = "WorkDone")]
    public static partial void WorkDone(ILogger logger, string workName, string workId);
//#endif
}
