using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Runtime;

namespace EdgeStack.Functions.Worker;

/// <summary>A demo long job, the worker's own durable work on <c>worker-jobs</c>: runs its steps, then writes <c>reports/{id}.json</c> to the <c>uploads</c> container.</summary>
/// <remarks>
/// Idempotent and never done twice visibly: the blob is tagged with the work item's id; a duplicate delivery of the same
/// work finds its tag and stops before the steps, while a later job with the same report id replaces the blob.
/// </remarks>
public sealed class ReportHandler(BlobServiceClient blobs, TimeProvider time, ILogger<ReportHandler> logger) : IDurableWorkHandler
{
    /// <summary>The name the handler is registered with.</summary>
    public const string Name = "report";

    /// <summary>The blob name prefix of finished reports.</summary>
    public const string Prefix = "reports/";

    /// <summary>The blob metadata key that holds the id of the work item that wrote the report.</summary>
    public const string WorkIdMetadata = "workid";

    private static async Task<bool> WrittenByAsync(BlobClient blob, string workId, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return properties.Value.Metadata.TryGetValue(WorkIdMetadata, out var writer) && writer == workId;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var work = ReportWork.Parse(item.Payload);
        if (!UploadId.IsValid(work.Id, out var problem))
        {
            throw new FormatException(problem);
        }

        if (work.Steps is < 0 or > 10_000 || work.StepMilliseconds is < 0 or > 600_000)
        {
            throw new FormatException("'steps' must be 0–10000 and 'stepMilliseconds' 0–600000.");
        }

        var blob = blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(Prefix + work.Id + ".json");
        if (await WrittenByAsync(blob, item.Id, cancellationToken))
        {
            // A duplicate delivery of work that already finished: neither the steps nor the write happen again.
            Log.ReportAlreadyDone(logger, work.Id, item.Id);
            return;
        }

        for (var step = 0; step < work.Steps; step++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(work.StepMilliseconds), time, cancellationToken);
        }

        var report = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(work, WorkerJsonContext.Default.ReportWork));
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string> { [WorkIdMetadata] = item.Id },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await blob.UploadAsync(report, upload, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // Written meanwhile: by a concurrent run of this same work (done), or an earlier job with the same id (replace it).
            var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (existing.Value.Metadata.TryGetValue(WorkIdMetadata, out var writer) && writer == item.Id)
            {
                Log.ReportAlreadyDone(logger, work.Id, item.Id);
                return;
            }

            upload.Conditions = new BlobRequestConditions { IfMatch = existing.Value.ETag };
            await blob.UploadAsync(report, upload, cancellationToken);
        }

        Log.ReportCompleted(logger, work.Id, work.Steps);
    }
}
