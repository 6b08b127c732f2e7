using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeStack.Azure;
using EdgeStack.Contracts;
using EdgeStack.Runtime;
using Microsoft.Extensions.Options;

namespace EdgeStack.Functions.Upload;

/// <summary>Stores an upload's body as <c>processed/{id}.json</c> in the <c>uploads</c> container; run in-process after the 202 and, after a hand-off or a crash, by the next instance of <c>upload</c> from its own work queue.</summary>
/// <remarks>
/// Idempotent and never done twice visibly: the blob is written only if absent, tagged with the work item's id and
/// accept time; a rerun of the same work finds its own tag and stops, an upload accepted later with the same id
/// replaces the blob, and a retry of an older upload never overwrites a newer one.
/// </remarks>
public sealed class UploadHandler(BlobServiceClient blobs, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadHandler> logger) : IDurableWorkHandler
{
    /// <summary>The name the handler is registered with.</summary>
    public const string Name = "upload";

    /// <summary>The blob name prefix of stored uploads.</summary>
    public const string Prefix = "processed/";

    /// <summary>The blob metadata key that holds when the stored upload was accepted (UTC ticks).</summary>
    public const string AcceptedAtMetadata = "acceptedat";

    /// <summary>Where the endpoint stages posted bodies in the <c>uploads</c> container before it queues their reference.</summary>
    public const string StagedBodyPrefix = AzureQueueDurableWorkQueue.StagingPrefix + "upload/bodies/";

    /// <summary>Gets the blob name of an upload.</summary>
    /// <param name="id">A valid upload id.</param>
    /// <returns>The blob name.</returns>
    public static string BlobName(string id) => Prefix + id + ".json";

    /// <inheritdoc />
    public async Task ExecuteAsync(DurableWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var started = Stopwatch.GetTimestamp();
        var work = UploadWork.Parse(item.Payload);
        if (!UploadId.IsValid(work.Id, out var problem))
        {
            throw new FormatException(problem);
        }

        var delay = options.Value.ProcessingDelayMilliseconds;
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken);
        }

        var container = blobs.GetBlobContainerClient(StorageNames.UploadsContainer);
        var blob = container.GetBlobClient(BlobName(work.Id));
        var body = await ReadBodyAsync(container, work, item, blob, cancellationToken);
        if (body is null)
        {
            return;
        }

        var headers = new BlobHttpHeaders { ContentType = "application/json" };
        var metadata = new Dictionary<string, string> { [AcceptedAtMetadata] = work.AcceptedAtTicks.ToString("D19", CultureInfo.InvariantCulture) };

        // An earlier upload with the same id is replaced by this newer one; a newer one stays.
        var written = await blob.WriteOnceAsync(body, item, headers, metadata, keep: stored => IsNewer(stored, work.AcceptedAtTicks, item.Id), cancellationToken);

        // Stored (by this run, an earlier run of this work or a newer upload): the staged body has served its purpose.
        await DeleteStagedAsync(container, work, cancellationToken);
        switch (written)
        {
            case WorkResultWrite.AlreadyWritten:
                Log.UploadAlreadyDone(logger, work.Id, item.Id);
                break;
            case WorkResultWrite.Kept:
                Log.UploadSuperseded(logger, work.Id, item.Id);
                break;
            default:
                Log.UploadCompleted(logger, work.Id, blob.Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                break;
        }
    }

    /// <summary>The body to store, or null when the staged body is gone because this work (or a newer upload) already stored it.</summary>
    private async Task<BinaryData?> ReadBodyAsync(BlobContainerClient container, UploadWork work, DurableWorkItem item, BlobClient target, CancellationToken cancellationToken)
    {
        if (work.BodyReference is not { } reference)
        {
            return BinaryData.FromString(work.Body!);
        }

        if (!reference.StartsWith(StagedBodyPrefix, StringComparison.Ordinal) || reference.Contains("..", StringComparison.Ordinal))
        {
            throw new FormatException($"The body reference '{reference}' is outside {StagedBodyPrefix}.");
        }

        try
        {
            return (await container.GetBlobClient(reference).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Deleted after a write whose completion never reached the queue (a kill in between): done if that write is there.
            var stored = await target.MetadataOrNullAsync(cancellationToken);
            if (WorkResultBlob.IsWrittenBy(stored, item))
            {
                Log.UploadAlreadyDone(logger, work.Id, item.Id);
                return null;
            }

            if (stored is not null && IsNewer(stored, work.AcceptedAtTicks, item.Id))
            {
                Log.UploadSuperseded(logger, work.Id, item.Id);
                return null;
            }

            throw new InvalidOperationException($"The staged body {reference} of upload '{work.Id}' does not exist.", exception);
        }
    }

    private static async Task DeleteStagedAsync(BlobContainerClient container, UploadWork work, CancellationToken cancellationToken)
    {
        if (work.BodyReference is { } reference)
        {
            await container.GetBlobClient(reference).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Whether the stored upload was accepted after this one (ties broken by work id, so two writers agree).</summary>
    private static bool IsNewer(IDictionary<string, string> stored, long acceptedAtTicks, string workId)
    {
        if (!stored.TryGetValue(AcceptedAtMetadata, out var text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var storedTicks))
        {
            return false;
        }

        return storedTicks > acceptedAtTicks
            || (storedTicks == acceptedAtTicks && stored.TryGetValue(WorkResultBlob.WorkIdMetadata, out var writer) && string.CompareOrdinal(writer, workId) > 0);
    }
}
