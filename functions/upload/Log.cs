namespace EdgeStack.Functions.Upload;

/// <summary>The upload function's log events (ids 200–209).</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Information, "Upload {UploadId} accepted ({Length} bytes); it is stored in the background.", EventName = "UploadAccepted")]
    public static partial void UploadAccepted(ILogger logger, string uploadId, int length);

    [LoggerMessage(201, LogLevel.Error, "Upload {UploadId} could not be queued; it was refused.", EventName = "UploadNotQueued")]
    public static partial void UploadNotQueued(ILogger logger, string uploadId, Exception exception);

    [LoggerMessage(202, LogLevel.Information, "Upload {UploadId} stored as {BlobName} in {DurationMs} ms.", EventName = "UploadCompleted")]
    public static partial void UploadCompleted(ILogger logger, string uploadId, string blobName, long durationMs);

    [LoggerMessage(203, LogLevel.Information, "Upload {UploadId} was already stored by an earlier run of work {WorkId}.", EventName = "UploadAlreadyDone")]
    public static partial void UploadAlreadyDone(ILogger logger, string uploadId, string workId);

    [LoggerMessage(204, LogLevel.Information, "Upload {UploadId} from work {WorkId} is older than the stored one; the newer upload stays.", EventName = "UploadSuperseded")]
    public static partial void UploadSuperseded(ILogger logger, string uploadId, string workId);
}
