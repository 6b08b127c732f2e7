using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Maintenance;

/// <summary>Deletes staged payloads (<c>uploads/staging/</c>) older than <see cref="MaintenanceOptions.StagingMaxAgeHours"/>.</summary>
/// <remarks>
/// A payload is staged before its work's 202 and deleted when the work completes; what is left after a day belongs to
/// work that was poisoned or lost. A blob is deleted only if it is still unmodified since the cut-off, so one staged again
/// while the run lists the container stays.
/// </remarks>
internal sealed class StagingCleanup(BlobServiceClient blobs, IOptions<MaintenanceOptions> options, TimeProvider time)
{
    public async Task<StagingCleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromHours(options.Value.StagingMaxAgeHours);
        var container = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        int deleted = 0, kept = 0;
        long deletedBytes = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, AzureQueueDurableWorkQueue.StagingPrefix, cancellationToken))
        {
            if (blob.Properties.LastModified is not { } modified || modified >= cutoff)
            {
                kept++;
                continue;
            }

            try
            {
                var response = await container.DeleteBlobIfExistsAsync(
                    blob.Name,
                    DeleteSnapshotsOption.IncludeSnapshots,
                    new BlobRequestConditions { IfUnmodifiedSince = cutoff },
                    cancellationToken);
                if (response.Value)
                {
                    deleted++;
                    deletedBytes += blob.Properties.ContentLength ?? 0;
                }
            }
            catch (RequestFailedException exception) when (exception.Status == 412)
            {
                // Staged again since the listing: it is new, it stays.
                kept++;
            }
        }

        return new StagingCleanupResult(deleted, kept, deletedBytes);
    }
}
