namespace EdgeStack.Functions.Worker;

/// <summary>The worker's log events (ids 220–229).</summary>
internal static partial class Log
{
    [LoggerMessage(220, LogLevel.Information, "Report job {ReportId} queued as work {WorkId}.", EventName = "JobQueued")]
    public static partial void JobQueued(ILogger logger, string reportId, string workId);

    [LoggerMessage(221, LogLevel.Error, "Report job {ReportId} could not be queued; it was refused.", EventName = "JobNotQueued")]
    public static partial void JobNotQueued(ILogger logger, string reportId, Exception exception);

    [LoggerMessage(222, LogLevel.Information, "Report {ReportId} finished {Steps} steps.", EventName = "ReportCompleted")]
    public static partial void ReportCompleted(ILogger logger, string reportId, int steps);

    [LoggerMessage(223, LogLevel.Information, "Report {ReportId} was already written by an earlier run of work {WorkId}.", EventName = "ReportAlreadyDone")]
    public static partial void ReportAlreadyDone(ILogger logger, string reportId, string workId);
}
