namespace EdgeStack.Functions.Upload;

/// <summary>The upload function's log events (ids 200–209).</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "Upload {UploadId} accepted ({Length} characters); it is stored in the background.", EventName = "UploadAccepted")]
    public static partial void UploadAccepted(ILogger logger, string uploadId, int length);

    [LoggerMessage(201, LogLevel.Error, "Upload {UploadId} could not be queued; it was refused.", EventName = "UploadNotQueued")]
    public static partial void UploadNotQueued(ILogger logger, string uploadId, Exception exception);
}
