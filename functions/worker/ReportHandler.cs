using System.Text.Json;
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
        if (await blob.WrittenByAsync(item, cancellationToken))
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

        // Written meanwhile by a concurrent run of this same work: done. An earlier job with the same report id: replaced.
        if (await blob.WriteOnceAsync(report, item, new BlobHttpHeaders { ContentType = "application/json" }, cancellationToken: cancellationToken) == WorkResultWrite.AlreadyWritten)
        {
            Log.ReportAlreadyDone(logger, work.Id, item.Id);
            return;
        }

        Log.ReportCompleted(logger, work.Id, work.Steps);
    }
}
