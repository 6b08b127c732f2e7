using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure.Internal;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Logging;

namespace EdgeStack.Azure;

/// <summary>A demo long job for the worker: runs its steps, then writes <c>reports/{id}.json</c> to the <c>uploads</c> container (overwriting: idempotent).</summary>
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

        for (var step = 0; step < work.Steps; step++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(work.StepMilliseconds), time, cancellationToken);
        }

        var report = JsonSerializer.SerializeToUtf8Bytes(work, AzureJsonContext.Default.ReportWork);
        var blob = blobs.GetBlobContainerClient(StorageNames.UploadsContainer).GetBlobClient(Prefix + work.Id + ".json");
        await blob.UploadAsync(
            BinaryData.FromBytes(report),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        Log.ReportCompleted(logger, work.Id, work.Steps);
    }
}
